package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/usersig/usersig"
)

const schemesUsage = `usage: usersig schemes [--json]

Lists every preset scheme: its name (for --scheme), what it signs, the
signature's encoding, how the secret is used as the key ("as given", or
"hex" for a vendor that hands out hex and decodes it, such as Pylon) and
where the signature travels in the vendor's front end. With --json, prints a JSON array with the vendor and source too.
`

// schemeOutput is one element of schemes --json.
type schemeOutput struct {
	Name      string `json:"name"`
	Vendor    string `json:"vendor"`
	Message   string `json:"message"`
	Encoding  string `json:"encoding"`
	Secret    string `json:"secret"`
	Transport string `json:"transport"`
	Source    string `json:"source"`
}

func runSchemes(e *env, args []string) int {
	fs := newFlagSet("schemes")
	var asJSON bool
	fs.BoolVar(&asJSON, "json", false, "print a JSON array instead of a table")
	if code, ok := e.parse(fs, schemesUsage, args); !ok {
		return code
	}
	schemes := usersig.Schemes()
	if asJSON {
		out := make([]schemeOutput, len(schemes))
		for i, sc := range schemes {
			out[i] = schemeOutput{sc.Name, sc.Vendor, sc.Describe(), sc.Encoding.String(), sc.SecretEncoding.String(), sc.Transport, sc.Source}
		}
		return e.writeJSON(out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tMESSAGE\tENCODING\tSECRET\tTRANSPORT")
	for _, sc := range schemes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", sc.Name, sc.Describe(), sc.Encoding, sc.SecretEncoding, sc.Transport)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "usersig schemes: %v\n", err)
		return exitInvalid
	}
	return exitOK
}
