// ProductFruits.cs: Product Fruits' .NET sample, run under Mono.
//
// Source: Product Fruits "Examples of backend HMAC computation",
// help.productfruits.com/en/article/examples-of-backend-hmac-computation, ".NET" (C#):
//
//   string expiration = expiration_m > 0 ? DateTime.UtcNow.AddMinutes(expiration_m).ToString("o"): "";
//   string data = string.Format("{0}{1}", username, expiration ?? "");
//   var secretBytesArr = Encoding.ASCII.GetBytes(secret);
//   using var hmacsha256 = new HMACSHA256(secretBytesArr);
//   byte[] hash = hmacsha256.ComputeHash(Encoding.UTF8.GetBytes(data));
//   string hashString = Convert.ToBase64String(hash);
//
// Sample() below is those lines verbatim, but for the expiry: a fixed UTC DateTime in place of
// DateTime.UtcNow.AddMinutes(expiration_m), and `using (...) { }` for the C# 8 using
// declaration, which Mono's mcs does not parse. Server() is the same code with
// Encoding.UTF8 for the key, which is what Product Fruits' server and Node sample use: the
// sample's Encoding.ASCII turns each non-ASCII character of the secret into '?'.
//
// I/O is line-based so no JSON library is needed (dotnet.py writes and reads it): each input
// line is name TAB base64(UTF-8 username) TAB base64(UTF-8 secret) TAB expiry-or-empty
// (RFC 3339); each output line is name TAB expiration text TAB sample hash TAB server hash.
using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

public static class ProductFruits
{
    static string Sample(string username, string secret, DateTime? expiry)
    {
        string expiration = expiry.HasValue ? expiry.Value.ToString("o") : "";
        string data = string.Format("{0}{1}", username, expiration ?? "");
        var secretBytesArr = Encoding.ASCII.GetBytes(secret);
        using (var hmacsha256 = new HMACSHA256(secretBytesArr))
        {
            byte[] hash = hmacsha256.ComputeHash(Encoding.UTF8.GetBytes(data));
            string hashString = Convert.ToBase64String(hash);
            return hashString;
        }
    }

    static string Server(string username, string secret, DateTime? expiry)
    {
        string expiration = expiry.HasValue ? expiry.Value.ToString("o") : "";
        string data = string.Format("{0}{1}", username, expiration ?? "");
        var secretBytesArr = Encoding.UTF8.GetBytes(secret);
        using (var hmacsha256 = new HMACSHA256(secretBytesArr))
        {
            byte[] hash = hmacsha256.ComputeHash(Encoding.UTF8.GetBytes(data));
            return Convert.ToBase64String(hash);
        }
    }

    static string Text(string b64) { return Encoding.UTF8.GetString(Convert.FromBase64String(b64)); }

    public static int Main()
    {
        // The published known answer: testUser, no expiry.
        if (Sample("testUser", "secret", null) != "aH4d+kVRGcOVSZx0m2dxu6Uf0IRwNAqF0gv4tAeJY+0=")
        {
            Console.Error.WriteLine("ProductFruits.cs: KNOWN ANSWER MISMATCH (testUser, no expiry)");
            return 1;
        }
        string line;
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
        stdout.NewLine = "\n";
        while ((line = Console.In.ReadLine()) != null)
        {
            string[] f = line.Split('\t');
            string username = Text(f[1]), secret = Text(f[2]);
            DateTime? expiry = null;
            if (f[3] != "")
            {
                expiry = DateTimeOffset.Parse(f[3], CultureInfo.InvariantCulture).UtcDateTime;
            }
            string expiration = expiry.HasValue ? expiry.Value.ToString("o") : "";
            stdout.WriteLine(f[0] + "\t" + expiration + "\t" + Sample(username, secret, expiry) + "\t" + Server(username, secret, expiry));
        }
        stdout.Flush();
        return 0;
    }
}
