package usertoken

import (
	"fmt"
	"slices"
	"strings"
)

// Stage 5 of verification: the profile's claims and the user id, on a
// payload whose signature verified.

var errClaimNames = fmt.Errorf("%w: a claim name differs from one the profile reads only in letter case", ErrWrongClaims)

// checkClaims applies the profile's claim rules to the decoded payload w
// and fills c with the user id and fields. folded is the set of names the
// payload spelled only by case folding (none of them one the profile
// reads): those claims are not reported.
func (v *Verifier) checkClaims(w *wireClaims, folded uint64, c *Claims) error {
	p := v.profile
	for _, f := range p.fixed {
		got, ok := v.claim(w, f.in, f.name)
		if !ok || (!got.set && !f.ifPresent) || (got.set && (!got.ok || got.s != f.value)) {
			return fmt.Errorf("%w: %s claim missing or not the configured value", ErrWrongClaims, f.path())
		}
	}
	sub, ok := v.claim(w, p.subjectIn, p.subjectClaim)
	if !ok || !sub.ok {
		return fmt.Errorf("%w: %s claim missing or not a string", ErrWrongClaims, p.subjectPath())
	}
	id, ok := strings.CutPrefix(sub.s, p.subjectPrefix)
	if !ok {
		return fmt.Errorf("%w: %s claim lacks the %q prefix", ErrWrongClaims, p.subjectPath(), p.subjectPrefix)
	}
	if err := checkUserID(id); err != nil {
		return fmt.Errorf("%w: user id in %s is empty or invalid", ErrWrongClaims, p.subjectPath())
	}
	c.UserID = id
	// Intercom's and Zendesk's signed user fields, unless the profile
	// names its own claims for them (below).
	if w.Email.ok && folded&nameBit("email") == 0 {
		c.Email = w.Email.s
	}
	if w.Name.ok && folded&nameBit("name") == 0 {
		c.Name = w.Name.s
	}
	if p.subjectClaim == "email" { // Userback: the email is the user id
		c.Email = id
	}
	for _, f := range p.fields {
		got := w.str("", f.name)
		if got.null && !f.required {
			continue // an optional field signed as null is absent
		}
		switch {
		case got.set && !got.ok:
			return fmt.Errorf("%w: %s claim is not a string", ErrWrongClaims, f.name)
		case f.required && got.s == "":
			return fmt.Errorf("%w: required %s claim missing or empty", ErrWrongClaims, f.name)
		case f.values != nil && got.set && !slices.Contains(f.values, got.s):
			return fmt.Errorf("%w: %s claim is not one of %s", ErrWrongClaims, f.name, strings.Join(f.values, ", "))
		}
		c.setField(f.field, got.s)
	}
	return nil
}

// claim returns the string claim in.name of w; ok is false when the
// object in (identity, scope) is present but not an object, or has a key
// that matches name only by letter case.
func (v *Verifier) claim(w *wireClaims, in, name string) (jsonString, bool) {
	switch in {
	case "identity":
		if w.Identity.set && (!w.Identity.isObject || w.Identity.badNames) {
			return jsonString{}, false
		}
	case "scope":
		if w.Scope.set && (!w.Scope.isObject || w.Scope.badNames) {
			return jsonString{}, false
		}
	}
	if js := w.str(in, name); js != nil {
		return *js, true
	}
	return jsonString{}, false
}

// setField sets the field f of c.
func (c *Claims) setField(f fieldID, val string) {
	switch f {
	case fieldEmail:
		c.Email = val
	case fieldName:
		c.Name = val
	case fieldImageURL:
		c.ImageURL = val
	case fieldRole:
		c.Role = val
	case fieldCompanyID:
		c.CompanyID = val
	}
}

// field returns the field f of c.
func (c *Claims) field(f fieldID) string {
	switch f {
	case fieldEmail:
		return c.Email
	case fieldName:
		return c.Name
	case fieldImageURL:
		return c.ImageURL
	case fieldRole:
		return c.Role
	case fieldCompanyID:
		return c.CompanyID
	}
	return ""
}

// nameBit is the bit of a wireNames name in a foldedNames mask.
func nameBit(name string) uint64 {
	i := slices.Index(wireNames, name)
	if i < 0 {
		return 0
	}
	return 1 << i
}

// readMask is the set of payload claim names the profile reads: the
// user-id claim, the fixed claims, its fields and the time claims.
func (p Profile) readMask() uint64 {
	top := func(in, name string) string {
		if in != "" {
			return in
		}
		return name
	}
	m := nameBit(top(p.subjectIn, p.subjectClaim)) | nameBit("exp") | nameBit("nbf") | nameBit("iat")
	if p.expiresText {
		m |= nameBit("expires")
	}
	for _, f := range p.fixed {
		m |= nameBit(top(f.in, f.name))
	}
	for _, f := range p.fields {
		m |= nameBit(f.name)
	}
	return m
}

// path names a fixed claim for error messages ("scope.tenant_id").
func (f fixedClaim) path() string {
	if f.in == "" {
		return f.name
	}
	return f.in + "." + f.name
}

// subjectPath names the user-id claim for error messages.
func (p Profile) subjectPath() string {
	return fixedClaim{name: p.subjectClaim, in: p.subjectIn}.path()
}
