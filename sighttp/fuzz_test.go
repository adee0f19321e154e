package sighttp_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// FuzzFromCookie holds FromCookie to net/http's own Request.Cookies on the
// same Cookie lines: a name net/http reads twice is refused, and a credential
// FromCookie accepts holds exactly the values net/http reads.
func FuzzFromCookie(f *testing.F) {
	for _, seed := range [][2]string{
		{"uid=bob; sig=s", ""},
		{"uid =bob; uid=alice", "sig=s"},
		{`uid="bob"`, "sig=s; uid"},
		{" uid=bob ;\tsig=s\t", "x=1"},
		{"uid=bo\\b; sig=s", ""},
		{"u id=a; (uid)=b; uid=c", "sig=\"s\""},
	} {
		f.Add(seed[0], seed[1])
	}
	extract := sighttp.FromCookie(usersig.Headers{UserID: "uid", Signature: "sig"})
	f.Fuzz(func(t *testing.T, line1, line2 string) {
		if strings.Count(line1+line2, ";") > 2000 {
			return // past net/http's cookie count limit it reads nothing
		}
		r := mwRequest("/")
		r.Header.Add("Cookie", line1)
		if line2 != "" {
			r.Header.Add("Cookie", line2)
		}
		std := map[string][]string{}
		for _, c := range r.Cookies() {
			std[c.Name] = append(std[c.Name], c.Value)
		}
		c, err := extract(r)
		if err != nil && !errors.Is(err, sighttp.ErrNoSignature) {
			var fe *sighttp.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("not a FieldError: %v", err)
			}
			return // refusing is always safe; what must hold is below
		}
		for name, got := range map[string]string{"uid": c.UserID, "sig": c.Signature} {
			vs := std[name]
			switch {
			case len(vs) > 1:
				t.Fatalf("net/http reads %s %d times, FromCookie accepted %q", name, len(vs), got)
			case len(vs) == 1 && vs[0] != got:
				t.Fatalf("net/http reads %s=%q, FromCookie %q", name, vs[0], got)
			case len(vs) == 0 && got != "":
				t.Fatalf("net/http reads no %s, FromCookie %q", name, got)
			}
		}
		for _, name := range []string{"uid", "sig"} {
			if len(std[name]) > 1 && err == nil {
				t.Fatalf("%s sent twice, accepted", name)
			}
		}
	})
}

// FuzzGateCheck: whatever a carrier holds, Check accepts only one value
// per field whose signature Authenticate accepts, puts exactly that
// identity in the context, and reports one Decision that says the same.
func FuzzGateCheck(f *testing.F) {
	s := mwSigner(f, usersig.Proficient(), mwSecret)
	f.Add(mwUserID, mwNodeSig, uint8(0))
	f.Add(mwUserID, mwNodeSig, uint8(1))
	f.Add("bob", mwNodeSig, uint8(2))
	f.Add("", "", uint8(3))
	var got []sighttp.Decision
	g := sighttp.NewGate(s, sighttp.WithObserver(func(_ context.Context, d sighttp.Decision) { got = append(got, d) }))
	f.Fuzz(func(t *testing.T, user, sig string, twice uint8) {
		got = got[:0]
		uk, sg := http.CanonicalHeaderKey(hdrProfID), http.CanonicalHeaderKey(hdrProfSig)
		md := map[string][]string{uk: {user}, sg: {sig}}
		if twice&1 != 0 {
			md[uk] = append(md[uk], user)
		}
		if twice&2 != 0 {
			md[sg] = append(md[sg], sig)
		}
		dup := twice&3 != 0 // the bits above say nothing
		get := func(name string) []string { return md[http.CanonicalHeaderKey(name)] }
		ctx, err := g.Check(context.Background(), sighttp.Request{Header: get})
		if len(got) != 1 {
			t.Fatalf("%d decisions", len(got))
		}
		want, wantErr := s.Authenticate(usersig.Credential{UserID: user, Signature: sig})
		id, ok := sighttp.IdentityFromContext(ctx)
		switch {
		case err == nil && (dup || wantErr != nil || len(user) > 1024 || len(sig) > 1024):
			t.Fatalf("accepted %q %q twice=%d", user, sig, twice)
		case err == nil && (!ok || id != want || got[0].Outcome != sighttp.Accepted):
			t.Fatalf("accepted with identity %v %v, decision %+v", id, ok, got[0])
		case err != nil && !dup && wantErr == nil && len(user) <= 1024 && len(sig) <= 1024:
			t.Fatalf("refused (%v) what Authenticate accepts", err)
		case err != nil && (ok || got[0].Outcome != sighttp.Rejected || got[0].Reason != sighttp.Reason(err)):
			t.Fatalf("refused (%v) with identity %v %v, decision %+v", err, id, ok, got[0])
		}
	})
}
