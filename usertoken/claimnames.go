package usertoken

// wireIndex mirrors wireNames; TestWireNameIndex checks they agree.

// wireIndex is the index of s in wireNames, or -1: a switch, which the
// compiler turns into a search by length and value, where a loop over
// the names would compare every one.
func wireIndex(s string) int {
	switch s {
	case "sub":
		return 0
	case "user_id":
		return 1
	case "external_id":
		return 2
	case "user_external_id":
		return 3
	case "entity_id":
		return 4
	case "id":
		return 5
	case "guid":
		return 6
	case "email":
		return 7
	case "name":
		return 8
	case "display_name":
		return 9
	case "imageUrl":
		return 10
	case "avatar_url":
		return 11
	case "noltUserRole":
		return 12
	case "companyId":
		return 13
	case "apiKey":
		return 14
	case "api_key":
		return 15
	case "tokenType":
		return 16
	case "iss":
		return 17
	case "entity_type":
		return 18
	case "expires":
		return 19
	case "scope":
		return 20
	case "identity":
		return 21
	case "exp":
		return 22
	case "nbf":
		return 23
	case "iat":
		return 24
	}
	return -1
}
