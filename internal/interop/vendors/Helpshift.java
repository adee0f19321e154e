// Helpshift vectors computed by Helpshift's own Java sample (Helpshift FAQ "User Identity Verification").
//
// Usage (JDK 11+ single-file source launcher, no build step):
//   java -Dfile.encoding=UTF-8 Helpshift.java <identities.json> <outdir>
//
// Writes <outdir>/helpshift-java.json and <outdir>/helpshift-full-privacy-java.json in the same
// shape (and with the same vectors) as gen.js's helpshift.json / helpshift-full-privacy.json;
// regen.sh checks that Node, Python and Java agree. JDK only, no libraries (a minimal JSON
// reader/writer is included below).

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Helpshift {

    // Transcribed from Helpshift FAQ "User Identity Verification" (Java sample, class IdentityVerificationHelper). The doc scrape
    // lost the sb.append lines and braces; restored as the prose rule and the Python/Node
    // samples say (append uid if non-null, then email if non-null). Two deliberate changes:
    //  1. javax.xml.bind.DatatypeConverter.printBase64Binary(hash) -> java.util.Base64
    //     .getEncoder().encodeToString(hash): javax.xml.bind was removed from the JDK in 11,
    //     and both produce standard, '='-padded base64.
    //  2. The sample calls secretKey.getBytes() and message.getBytes(), i.e. the platform
    //     DEFAULT charset. That equals UTF-8 only where the platform default is UTF-8 (JDK 18+
    //     by default, or -Dfile.encoding=UTF-8 as regen.sh passes); elsewhere non-ASCII ids or
    //     secrets would be hashed as other bytes. We pass StandardCharsets.UTF_8 explicitly,
    //     which is what the vendor's Python and Node samples do.
    public static class IdentityVerificationHelper {
        public String sign(String uid, String email, String secretKey) {

            StringBuilder sb = new StringBuilder();
            if (uid != null)
                sb.append(uid);
            if (email != null)
                sb.append(email);

            final String message = sb.toString();

            try {
                Mac hmacsha256 = Mac.getInstance("HmacSHA256");
                hmacsha256.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));

                byte[] hash = hmacsha256.doFinal(message.getBytes(StandardCharsets.UTF_8));

                return Base64.getEncoder().encodeToString(hash);
            } catch (Exception e) {
                // The sample returns null here; a generator must not silently drop vectors.
                throw new RuntimeException(e);
            }
        }
    }

    static final IdentityVerificationHelper HELPER = new IdentityVerificationHelper();

    static String message(String uid, String email) {
        StringBuilder sb = new StringBuilder();
        if (uid != null) sb.append(uid);
        if (email != null) sb.append(email);
        return sb.toString();
    }

    // Rule (Helpshift FAQ "User Identity Verification"): uid, or email, or uid+email. Neither present -> nothing to sign -> refused.
    static String[] helpshift(String secret, String uid, String email) {
        if (uid == null && email == null) return null;
        return new String[] {message(uid, email), HELPER.sign(uid, email, secret)};
    }

    // Seed 003: EnableFullPrivacy -> "generated on the User ID only. Email should be ignored".
    static String[] helpshiftFullPrivacy(String secret, String uid, String email) {
        if (uid == null) return null;
        return new String[] {message(uid, null), HELPER.sign(uid, null, secret)};
    }

    static void die(String msg) {
        System.err.println("Helpshift.java: " + msg);
        System.exit(1);
    }

    static Map<String, Object> record(String name, String secret, String uid, String email, String[] res, boolean knownAnswer) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("secret", secret);
        r.put("userId", uid == null ? "" : uid);
        r.put("email", email == null ? "" : email);
        r.put("expires", "");
        r.put("expiresAt", "");
        if (res != null) {
            r.put("message", res[0]);
            r.put("signature", res[1]);
        }
        if (knownAnswer) r.put("knownAnswer", Boolean.TRUE);
        return r;
    }

    interface Rule {
        String[] apply(String secret, String uid, String email);
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        if (args.length != 2) die("usage: java -Dfile.encoding=UTF-8 Helpshift.java <identities.json> <outdir>");
        Map<String, Object> data = (Map<String, Object>) new JsonReader(
                Files.readString(Paths.get(args[0]), StandardCharsets.UTF_8)).parse();
        Map<String, Object> secrets = (Map<String, Object>) data.get("secrets");
        Path outDir = Paths.get(args[1]);
        Files.createDirectories(outDir);

        Object[][] presets = {
            {"helpshift", (Rule) Helpshift::helpshift,
             "Helpshift FAQ, User Identity Verification (Java sample IdentityVerificationHelper.sign)",
             "uid, or email, or uid+email concatenated with no separator (by which are present)"},
            {"helpshift-full-privacy", (Rule) Helpshift::helpshiftFullPrivacy,
             "Helpshift FAQ, User Identity Verification (EnableFullPrivacy: User ID only; Java sample with email null)",
             "uid only (email ignored)"},
        };
        for (Object[] p : presets) {
            String preset = (String) p[0];
            Rule rule = (Rule) p[1];
            List<Object> vectors = new ArrayList<>();
            List<Object> refused = new ArrayList<>();
            for (Object o : (List<Object>) data.get("identities")) {
                Map<String, Object> id = (Map<String, Object>) o;
                String secret = (String) secrets.get((String) id.get("secret"));
                String uid = (String) id.get("userId");
                String email = (String) id.get("email");
                String[] res = rule.apply(secret, uid, email);
                (res != null ? vectors : refused).add(record((String) id.get("name"), secret, uid, email, res, false));
            }
            for (Object o : (List<Object>) data.get("knownAnswers")) {
                Map<String, Object> ka = (Map<String, Object>) o;
                if (!preset.equals(ka.get("preset"))) continue;
                String uid = (String) ka.get("userId");
                String email = (String) ka.get("email");
                String[] res = rule.apply((String) ka.get("secret"), uid, email);
                if (res == null || !res[1].equals(ka.get("signature"))) {
                    die("KNOWN ANSWER MISMATCH (" + ka.get("from") + "): got " + (res == null ? null : res[1])
                            + ", want " + ka.get("signature"));
                }
                vectors.add(record((String) ka.get("name"), (String) ka.get("secret"), uid, email, res, true));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("preset", preset);
            doc.put("source", p[2]);
            doc.put("rule", p[3]);
            doc.put("encoding", "base64");
            doc.put("generator", "java -Dfile.encoding=UTF-8 internal/interop/vendors/Helpshift.java");
            doc.put("vectors", vectors);
            doc.put("refused", refused);
            StringBuilder sb = new StringBuilder();
            JsonWriter.write(sb, doc, "");
            sb.append('\n');
            Files.writeString(outDir.resolve(preset + "-java.json"), sb.toString(), StandardCharsets.UTF_8);
        }

        // Belt and braces: the published known answer, hard-coded, independent of the input file.
        if (!HELPER.sign("42", "user@example.com", "secret").equals("bFp9vqiTajIzPYoEBVWBMEdXYQuX22MEcRQwk6xbgms=")) {
            die("KNOWN ANSWER MISMATCH (hard-coded Helpshift uid 42 + user@example.com)");
        }
    }

    // Minimal JSON reader (objects keep key order; numbers are not needed by identities.json).
    static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) { this.s = s; }

        Object parse() {
            Object v = value();
            ws();
            if (i != s.length()) throw err("trailing data");
            return v;
        }

        private RuntimeException err(String m) { return new IllegalArgumentException("identities.json: " + m + " at offset " + i); }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
        }

        private Object value() {
            ws();
            if (i >= s.length()) throw err("unexpected end");
            char c = s.charAt(i);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            throw err("unsupported value");
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (s.charAt(i) == '}') { i++; return m; }
            while (true) {
                ws();
                String k = string();
                ws();
                if (s.charAt(i++) != ':') throw err("expected ':'");
                m.put(k, value());
                ws();
                char c = s.charAt(i++);
                if (c == '}') return m;
                if (c != ',') throw err("expected ',' or '}'");
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            ws();
            if (s.charAt(i) == ']') { i++; return l; }
            while (true) {
                l.add(value());
                ws();
                char c = s.charAt(i++);
                if (c == ']') return l;
                if (c != ',') throw err("expected ',' or ']'");
            }
        }

        private String string() {
            if (s.charAt(i) != '"') throw err("expected string");
            i++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c != '\\') { sb.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: throw err("bad escape");
                }
            }
        }
    }

    // Minimal JSON writer matching JSON.stringify(v, null, 2) / json.dumps(v, indent=2,
    // ensure_ascii=False): 2-space indent, "key": value, non-ASCII written raw as UTF-8.
    static final class JsonWriter {
        @SuppressWarnings("unchecked")
        static void write(StringBuilder sb, Object v, String indent) {
            if (v instanceof Map) {
                Map<String, Object> m = (Map<String, Object>) v;
                if (m.isEmpty()) { sb.append("{}"); return; }
                sb.append("{\n");
                int n = 0;
                for (Map.Entry<String, Object> e : m.entrySet()) {
                    sb.append(indent).append("  ");
                    str(sb, e.getKey());
                    sb.append(": ");
                    write(sb, e.getValue(), indent + "  ");
                    sb.append(++n < m.size() ? ",\n" : "\n");
                }
                sb.append(indent).append('}');
            } else if (v instanceof List) {
                List<Object> l = (List<Object>) v;
                if (l.isEmpty()) { sb.append("[]"); return; }
                sb.append("[\n");
                for (int k = 0; k < l.size(); k++) {
                    sb.append(indent).append("  ");
                    write(sb, l.get(k), indent + "  ");
                    sb.append(k + 1 < l.size() ? ",\n" : "\n");
                }
                sb.append(indent).append(']');
            } else if (v instanceof String) {
                str(sb, (String) v);
            } else if (v instanceof Boolean) {
                sb.append(v.toString());
            } else if (v == null) {
                sb.append("null");
            } else {
                throw new IllegalArgumentException("unsupported JSON value " + v);
            }
        }

        static void str(StringBuilder sb, String s) {
            sb.append('"');
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '"': sb.append("\\\""); break;
                    case '\\': sb.append("\\\\"); break;
                    case '\b': sb.append("\\b"); break;
                    case '\f': sb.append("\\f"); break;
                    case '\n': sb.append("\\n"); break;
                    case '\r': sb.append("\\r"); break;
                    case '\t': sb.append("\\t"); break;
                    default:
                        if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                        else sb.append(c);
                }
            }
            sb.append('"');
        }
    }
}
