package usertoken

import (
	"fmt"
	"slices"
	"strings"
)

// Stage 5 of verification: the profile's claims and the user id, on a
// payload whose signature verified.

// checkClaims applies the profile's claim rules to the decoded payload w
// and fills c with the user id and fields.
func (v *Verifier) checkClaims(w *wireClaims, c *Claims) error {
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
	if w.Email.ok {
		c.Email = w.Email.s
	}
	if w.Name.ok {
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
// object in (identity, scope) is present but not an object.
func (v *Verifier) claim(w *wireClaims, in, name string) (jsonString, bool) {
	switch in {
	case "identity":
		if w.Identity.set && !w.Identity.isObject {
			return jsonString{}, false
		}
	case "scope":
		if w.Scope.set && !w.Scope.isObject {
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
