// Chameleon.java: Chameleon's timestamped uid_hash, computed by Chameleon's own Java sample.
//
// Usage: java Chameleon.java < jobs   (chameleon_java.py writes the jobs and reads the output)
//
// Each input line is "<base64 secret> <base64 uid> <unix seconds> <milliseconds>"; each output
// line is the uid_hash. The sample is github.com/chamaeleonidae/verification verification.java
// (commit 978dbec7b09623e7c2020295b2327b2bfea3310c), quoted verbatim but for the names bound to
// the secret and the user id, the import of BigInteger it leaves out, and the clock:
// System.currentTimeMillis() reads a fixed instant (the seconds plus milliseconds the sample's
// division drops).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Chameleon {
    interface Clock {
        long currentTimeMillis();
    }

    // verification.java:
    //   Mac mac = Mac.getInstance("HmacSHA256");
    //   byte[] secret = System.getenv("CHAMELEON_VERIFICATION_SECRET").getBytes("UTF-8");
    //   SecretKeySpec secretKeySpec = new SecretKeySpec(secret, "HmacSHA256");
    //   mac.init(secretKeySpec);
    //
    //   String now = String.valueOf(System.currentTimeMillis() / 1000L);
    //   String uid_hash = String.format("%064x", new BigInteger(1, mac.doFinal((uid + "-" + now).getBytes("UTF-8")))) + "-" + now;
    static String sample(String verificationSecret, String uid, Clock System) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        byte[] secret = verificationSecret.getBytes("UTF-8");
        SecretKeySpec secretKeySpec = new SecretKeySpec(secret, "HmacSHA256");
        mac.init(secretKeySpec);

        String now = String.valueOf(System.currentTimeMillis() / 1000L);
        String uid_hash = String.format("%064x", new BigInteger(1, mac.doFinal((uid + "-" + now).getBytes("UTF-8")))) + "-" + now;
        return uid_hash;
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(java.lang.System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(java.lang.System.out, true, "UTF-8");
        Base64.Decoder b64 = Base64.getDecoder();
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split(" ");
            String secret = new String(b64.decode(f[0]), StandardCharsets.UTF_8);
            String uid = new String(b64.decode(f[1]), StandardCharsets.UTF_8);
            long millis = Long.parseLong(f[2]) * 1000L + Long.parseLong(f[3]);
            out.println(sample(secret, uid, () -> millis));
        }
    }
}
