package tenants_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/tenants"
)

// A verifier for many tenants on one machine: a SQLite file, a local KEK,
// and sighttp picking each request's tenant by its API key header. (When
// sighttp gains a tenant-lookup option taking a signer source, a *Store is
// one: its Signer method has that shape.)
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "tenants-example")
	defer os.RemoveAll(dir)

	// In production the KEK comes from a secret manager:
	// tenants.LocalKEKFromEnv("USERSIG_KEK") or contrib/cloudkek.
	kek, err := tenants.ParseLocalKEK("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil {
		panic(err)
	}
	st, err := tenants.Open(ctx, filepath.Join(dir, "tenants.db"), tenants.Options{KEK: kek})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	secret, err := st.Add(ctx, tenants.Tenant{Key: "pk_acme", Scheme: "engagespot"})
	if err != nil {
		panic(err)
	}
	if err := st.Start(ctx); err != nil {
		panic(err)
	}

	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := sighttp.IdentityFromContext(r.Context())
		fmt.Fprint(w, "hello ", id.UserID)
	})
	h := sighttp.Middleware(nil, sighttp.WithTenantLookup("X-Engagespot-Api-Key", st),
		sighttp.WithHeaders(usersig.Engagespot().Headers))(api)

	// What the tenant's backend computes with the secret Add returned.
	client, _ := usersig.New(usersig.Engagespot(), secret)
	sig, _ := client.Sign(usersig.Identity{UserID: "alice"})

	for _, key := range []string{"pk_acme", "pk_unknown"} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("X-Engagespot-Api-Key", key)
		r.Header.Set("X-Engagespot-User-Id", "alice")
		r.Header.Set("X-Engagespot-User-Signature", sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(key+":", w.Code, strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// pk_acme: 200 hello alice
	// pk_unknown: 401 {"error":"unauthorized"}
}

// A Store is what sighttp.WithTenantLookup asks for.
var _ sighttp.SignerSource = (*tenants.Store)(nil)
