package usertoken_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/usersig/usersig/usertoken"
)

// The examples use the committed TEST-ONLY keys under testdata/keys and a
// fixed clock so their output is stable. Real code reads its key from a
// secret store and uses the default clock.

func mustRead(name string) []byte {
	b, err := os.ReadFile("testdata/keys/" + name)
	if err != nil {
		log.Fatal(err)
	}
	return b
}

var exampleNow = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// Engagespot secure mode end to end: the backend issues a token for the
// logged-in user, the front end hands it to the Engagespot SDK, and the
// verifying side (Engagespot, or a test double) checks it.
func Example() {
	privatePEM := mustRead("test_rsa_private_pkcs8.pem") // downloaded from the Engagespot console
	publicPEM := mustRead("test_rsa_public.pem")         // the half Engagespot keeps

	iss, err := usertoken.NewIssuer(usertoken.Engagespot("ENGAGESPOT_API_KEY"), privatePEM,
		usertoken.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	token, err := iss.Token("uniqueUserId123")
	if err != nil {
		log.Fatal(err)
	}

	v, err := usertoken.NewVerifier(usertoken.Engagespot("ENGAGESPOT_API_KEY"), publicPEM,
		usertoken.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	id, err := v.Verify(token)
	fmt.Println(id, err)

	// An hour later the token has expired.
	late, _ := usertoken.NewVerifier(usertoken.Engagespot("ENGAGESPOT_API_KEY"), publicPEM,
		usertoken.WithClock(func() time.Time { return exampleNow().Add(time.Hour) }))
	_, err = late.Verify(token)
	fmt.Println(errors.Is(err, usertoken.ErrExpired))
	// Output:
	// uniqueUserId123 <nil>
	// true
}

func ExampleIssuer_Token() {
	iss, err := usertoken.NewIssuer(usertoken.Engagespot("ENGAGESPOT_API_KEY"),
		mustRead("test_rsa_private_pkcs8.pem"), usertoken.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	token, err := iss.Token("uniqueUserId123")
	if err != nil {
		log.Fatal(err)
	}
	parts := strings.Split(token, ".")
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	fmt.Println(string(header))
	fmt.Println(string(claims))
	// Output:
	// {"alg":"RS256","typ":"JWT"}
	// {"apiKey":"ENGAGESPOT_API_KEY","exp":1767229200,"iat":1767225600,"sub":"user:uniqueUserId123"}
}

// Intercom signs extra user fields along with user_id.
func ExampleWithClaims() {
	secret := mustRead("test_hmac_secret.txt") // the messenger secret, used as its exact bytes
	iss, err := usertoken.NewIssuer(usertoken.Intercom(), secret,
		usertoken.WithClock(exampleNow),
		usertoken.WithTTL(10*time.Minute),
		usertoken.WithClaims(map[string]any{"email": "ada@example.com"}))
	if err != nil {
		log.Fatal(err)
	}
	token, _ := iss.Token("42")
	claims, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	fmt.Println(string(claims))

	// The profile's own claims cannot be overridden.
	_, err = usertoken.NewIssuer(usertoken.Intercom(), secret,
		usertoken.WithClaims(map[string]any{"user_id": "admin"}))
	fmt.Println(errors.Is(err, usertoken.ErrInvalidOption))
	// Output:
	// {"email":"ada@example.com","exp":1767226200,"user_id":"42"}
	// true
}

func ExampleProfileByName() {
	for _, name := range usertoken.ProfileNames() {
		param, _ := usertoken.ProfileParam(name)
		fmt.Printf("%s needs %q\n", name, param)
	}
	p, err := usertoken.ProfileByName("zendesk", "app_123")
	fmt.Println(p, err)
	_, err = usertoken.ProfileByName("engagespot", "")
	fmt.Println(err)
	// Output:
	// braze needs ""
	// drift needs ""
	// engagespot needs "apiKey"
	// intercom needs ""
	// knock needs ""
	// magicbell needs "apiKey"
	// nolt needs ""
	// onesignal needs "appId"
	// streamchat needs ""
	// suprsend needs "tenantId"
	// talkjs needs "appId"
	// userback needs ""
	// usertour needs ""
	// uservoice needs ""
	// zendesk needs "kid"
	// zendesk/HS256 <nil>
	// usertoken: invalid profile: profile engagespot needs its apiKey
}

func ExampleNewVerifier_keyPolicy() {
	_, err := usertoken.NewVerifier(usertoken.Knock(), mustRead("weak_rsa_e3_private.pem"))
	fmt.Println(errors.Is(err, usertoken.ErrWeakKey))
	_, err = usertoken.NewVerifier(usertoken.Intercom(), []byte("too-short"))
	fmt.Println(errors.Is(err, usertoken.ErrWeakKey))
	// An RSA public key is never accepted as an HMAC secret (alg confusion).
	_, err = usertoken.NewVerifier(usertoken.Drift(), mustRead("test_rsa_public.pem"))
	fmt.Println(errors.Is(err, usertoken.ErrWrongKeyType))
	// Output:
	// true
	// true
	// true
}

// Knock sends the token in X-Knock-User-Token.
func ExampleMiddleware() {
	v, err := usertoken.NewVerifier(usertoken.Knock(), mustRead("test_rsa_public.pem"),
		usertoken.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	inbox := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := usertoken.UserIDFromContext(r.Context())
		fmt.Fprintf(w, "inbox of %s", id)
	})
	h := usertoken.Middleware(v, usertoken.WithHeader("X-Knock-User-Token"))(inbox)

	iss, _ := usertoken.NewIssuer(usertoken.Knock(), mustRead("test_rsa_private_pkcs8.pem.b64"),
		usertoken.WithClock(exampleNow))
	token, _ := iss.Token("user_42")
	for _, tok := range []string{token, token + "x"} {
		r := httptest.NewRequest(http.MethodGet, "/inbox", nil)
		r.Header.Set("X-Knock-User-Token", tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// 200 inbox of user_42
	// 401 {"error":"unauthorized"}
}

func ExampleGenerateRSAKeyPair() {
	privatePEM, publicPEM, err := usertoken.GenerateRSAKeyPair()
	if err != nil {
		log.Fatal(err)
	}
	// Upload publicPEM to the vendor; keep privatePEM secret (mode 0600).
	fmt.Println(strings.SplitN(string(privatePEM), "\n", 2)[0])
	fmt.Println(strings.SplitN(string(publicPEM), "\n", 2)[0])
	// Output:
	// -----BEGIN PRIVATE KEY-----
	// -----BEGIN PUBLIC KEY-----
}

// Nolt single sign-on: the token carries the user's email and name, which
// Nolt requires, under Nolt's claim names.
func ExampleIssuer_Issue() {
	secret := mustRead("test_hmac_secret.txt") // the board's SSO secret key
	iss, err := usertoken.NewIssuer(usertoken.Nolt(), secret, usertoken.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	jwt, err := iss.Issue(usertoken.Claims{UserID: "42", Email: "ada@example.com", Name: "Ada Lovelace", Role: "MODERATOR"})
	if err != nil {
		log.Fatal(err)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[1])
	fmt.Println(string(payload)) // then, in the page: nolt('identify', {jwt})

	_, err = iss.Token("42") // the id alone is not enough for Nolt
	fmt.Println(errors.Is(err, usertoken.ErrInvalidClaims))

	v, _ := usertoken.NewVerifier(usertoken.Nolt(), secret, usertoken.WithClock(exampleNow))
	c, err := v.VerifyClaims(jwt)
	fmt.Println(c.UserID, c.Email, c.Name, c.Role, err)
	// Output:
	// {"email":"ada@example.com","exp":1767229200,"iat":1767225600,"id":"42","name":"Ada Lovelace","noltUserRole":"MODERATOR"}
	// true
	// 42 ada@example.com Ada Lovelace MODERATOR <nil>
}

// One middleware for many tenants: the lookup picks each request's
// Verifier (a tenant store's per-tenant keys); an unknown tenant is 401.
func ExampleWithVerifierLookup() {
	secret := mustRead("test_usertour_secret.txt") // tenant acme's utv_ key
	acme, err := usertoken.NewVerifier(usertoken.Usertour(), secret, usertoken.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	tenants := map[string]*usertoken.Verifier{"acme": acme}
	mw := usertoken.Middleware(nil, usertoken.WithVerifierLookup(func(r *http.Request) (*usertoken.Verifier, error) {
		if v, ok := tenants[r.Header.Get("X-Tenant")]; ok {
			return v, nil
		}
		return nil, usertoken.ErrUnknownVerifier
	}))
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := usertoken.ClaimsFromContext(r.Context())
		fmt.Println("user", c.UserID, "of company", c.CompanyID)
	}))

	iss, _ := usertoken.NewIssuer(usertoken.Usertour(), secret, usertoken.WithClock(exampleNow))
	tok, _ := iss.Issue(usertoken.Claims{UserID: "12345678901234567890", CompanyID: "7"})
	for _, tenant := range []string{"acme", "unknown"} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("X-Tenant", tenant)
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(tenant, w.Code)
	}
	// Output:
	// user 12345678901234567890 of company 7
	// acme 200
	// unknown 401
}
