using Chat.Grains;
using Chat.Grains.Errors;

namespace Chat.WebFrontend.Errors;

/// <summary>Edge checks that throw VALIDATION_ERROR with a message naming the field.</summary>
public static class Validate
{
    public static T Required<T>(T? value, string field) where T : class =>
        value ?? throw ChatException.Validation($"{field} is required.");

    public static void That(bool condition, string message)
    {
        if (!condition)
        {
            throw ChatException.Validation(message);
        }
    }

    /// <summary>
    /// One line of visible text (<see cref="TextRules.IsCleanName"/>), trimmed, of <paramref name="minLength"/> to
    /// <paramref name="maxLength"/> characters; null stays null (a field left out).
    /// </summary>
    public static string? Name(string? value, string field, int maxLength, int minLength = 1)
    {
        var trimmed = value?.Trim();
        That(trimmed is null || (trimmed.Length >= minLength && trimmed.Length <= maxLength), $"{field} must be {minLength}-{maxLength} characters.");
        That(trimmed is null || TextRules.IsCleanName(trimmed), $"{field} may not hold control, bidirectional-override or replacement characters.");
        return trimmed;
    }

    /// <summary>Free text of at most <paramref name="maxLength"/> characters (<see cref="TextRules.IsCleanText"/>); null stays null.</summary>
    public static string? Text(string? value, string field, int maxLength)
    {
        That(value is null || value.Length <= maxLength, $"{field} must be at most {maxLength} characters.");
        That(value is null || TextRules.IsCleanText(value), $"{field} may not hold control characters other than line breaks and tabs.");
        return value;
    }

    public static int Limit(int? limit, int fallback, int max)
    {
        var value = limit ?? fallback;
        That(value is >= 1 && value <= max, $"limit must be 1-{max}.");
        return value;
    }
}
