namespace CallWaiting.Benchmarks;

/// <summary>The texts every benchmark speaks, so figures are comparable across sections and runs.</summary>
internal static class BenchText
{
    /// <summary>Sentences typical of phone prompts and agent replies.</summary>
    public static readonly string[] Sentences =
    [
        "Thank you for calling CallWaiting support, your call is important to us.",
        "Your current balance is forty two dollars and fifty cents, due on the third of December.",
        "To hear your recent transactions, press one; to speak with an agent, press zero.",
        "We have received your request and a specialist will call you back within two business days.",
        "Please have your account number and the billing postcode ready before you continue.",
        "Our offices are open Monday through Friday from nine in the morning until six in the evening.",
        "If you would like to update your address, say update address at any time.",
        "I found three appointments next week; the earliest is Tuesday at half past ten.",
        "The package left our warehouse this morning and should arrive by Thursday afternoon.",
        "For security reasons, I will now send a six digit code to the phone number on file.",
        "Sorry, I did not catch that; could you please repeat the name of the city?",
        "Your order has been confirmed, and a receipt is on its way to your email inbox.",
    ];

    /// <summary>About <paramref name="chars"/> characters of whole sentences, starting at sentence <paramref name="offset"/>.</summary>
    public static string Take(int chars, int offset = 0)
    {
        var parts = new List<string>();
        var length = 0;
        for (var i = offset; length < chars; i++)
        {
            var s = Sentences[i % Sentences.Length];
            parts.Add(s);
            length += s.Length + 1;
        }
        return string.Join(' ', parts);
    }

    /// <summary>
    /// <paramref name="sentence"/> made unique by <paramref name="round"/> ("…, code 17."), so that no cache of any kind
    /// answers a later round with an earlier round's work.
    /// </summary>
    public static string Distinct(string sentence, int round) => $"{sentence[..^1]}, code {round}{sentence[^1]}";
}
