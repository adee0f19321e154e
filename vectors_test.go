package usersig

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawMessage is a Composer that signs fixed bytes, so the RFC and Wycheproof
// vectors (arbitrary keys and messages) run through the real Signer.
type rawMessage []byte

func (m rawMessage) AppendMessage(dst []byte, _ Identity) ([]byte, error) {
	return append(dst, m...), nil
}

func rawSigner(t testing.TB, key, msg []byte) *Signer {
	t.Helper()
	s, err := New(Scheme{Name: "raw", Composer: rawMessage(msg), Encoding: Hex}, key, WithShortSecretsAllowed())
	require.NoError(t, err)
	return s
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestRFC4231(t *testing.T) {
	var file struct {
		Tests []struct {
			TcID        int    `json:"tcId"`
			KeyHex      string `json:"keyHex"`
			MsgHex      string `json:"msgHex"`
			TagHex      string `json:"tagHex"`
			TagSizeBits int    `json:"tagSizeBits"`
		} `json:"tests"`
	}
	readJSON(t, "testdata/rfc4231_hmac_sha256.json", &file)
	require.Len(t, file.Tests, 7)
	for _, tc := range file.Tests {
		t.Run(strconv.Itoa(tc.TcID), func(t *testing.T) {
			s := rawSigner(t, mustHex(t, tc.KeyHex), mustHex(t, tc.MsgHex))
			if tc.TagSizeBits != 256 {
				// Case 5 prints only a 128-bit truncation: never accepted.
				assert.ErrorIs(t, s.Verify(Identity{}, tc.TagHex), ErrMalformedSignature)
				return
			}
			got, err := s.Sign(Identity{})
			require.NoError(t, err)
			assert.Equal(t, tc.TagHex, got)
			assert.NoError(t, s.Verify(Identity{}, tc.TagHex))
		})
	}
}

func TestWycheproofHMACSHA256(t *testing.T) {
	var file struct {
		NumberOfTests int `json:"numberOfTests"`
		TestGroups    []struct {
			TagSize int `json:"tagSize"`
			Tests   []struct {
				TcID   int    `json:"tcId"`
				Key    string `json:"key"`
				Msg    string `json:"msg"`
				Tag    string `json:"tag"`
				Result string `json:"result"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	readJSON(t, "testdata/wycheproof/hmac_sha256_test.json", &file)
	ran := 0
	for _, g := range file.TestGroups {
		for _, tc := range g.Tests {
			ran++
			s := rawSigner(t, mustHex(t, tc.Key), mustHex(t, tc.Msg))
			err := s.Verify(Identity{}, tc.Tag)
			switch {
			case g.TagSize != 256:
				assert.ErrorIs(t, err, ErrMalformedSignature, "tcId %d: truncated tags are never accepted", tc.TcID)
			case tc.Result == "valid":
				assert.NoError(t, err, "tcId %d", tc.TcID)
				got, signErr := s.Sign(Identity{})
				require.NoError(t, signErr)
				assert.Equal(t, tc.Tag, got, "tcId %d", tc.TcID)
			default:
				assert.ErrorIs(t, err, ErrInvalidSignature, "tcId %d", tc.TcID)
			}
		}
	}
	assert.Equal(t, 174, ran)
	assert.Equal(t, file.NumberOfTests, ran)
}

// TestEncodingMalleability checks the non-canonical forms that Go's own
// decoders were found to accept (testdata/derived_encoding_malleability_go.json)
// are all refused, and each canonical form is accepted by exactly its encoding.
func TestEncodingMalleability(t *testing.T) {
	type variant struct {
		Variant   string `json:"variant"`
		Encoded   string `json:"encoded"`
		Canonical *bool  `json:"canonical"`
	}
	var file struct {
		KeyUTF8     string    `json:"key_utf8"`
		MessageUTF8 string    `json:"message_utf8"`
		TagHex      string    `json:"tag_hex"`
		Base64      []variant `json:"base64_variants"`
		Hex         []variant `json:"hex_variants"`
	}
	readJSON(t, "testdata/derived_encoding_malleability_go.json", &file)
	require.NotEmpty(t, file.Base64)
	require.NotEmpty(t, file.Hex)

	signers := map[Encoding]*Signer{}
	for _, enc := range []Encoding{Base64, Base64URL, Hex} {
		s, err := New(Scheme{Name: "m", Composer: UserID, Encoding: enc}, []byte(file.KeyUTF8), WithShortSecretsAllowed())
		require.NoError(t, err)
		signers[enc] = s
	}
	id := Identity{UserID: file.MessageUTF8}
	hexSig, err := signers[Hex].Sign(id)
	require.NoError(t, err)
	require.Equal(t, file.TagHex, hexSig, "the file's tag was computed outside this package")

	canonical := map[string]Encoding{
		base64.StdEncoding.EncodeToString(mustHex(t, file.TagHex)):    Base64,
		base64.RawURLEncoding.EncodeToString(mustHex(t, file.TagHex)): Base64URL,
		file.TagHex: Hex,
	}
	for _, v := range append(file.Base64, file.Hex...) {
		text := v.Encoded
		if unquoted, err := strconv.Unquote(text); err == nil {
			text = unquoted // the base64 rows are Go-quoted, the hex rows raw
		}
		for enc, s := range signers {
			err := s.Verify(id, text)
			if want, ok := canonical[text]; ok && want == enc {
				assert.NoError(t, err, "%s as %s", v.Variant, enc)
			} else {
				assert.ErrorIs(t, err, ErrMalformedSignature, "%s as %s", v.Variant, enc)
			}
		}
	}
}
