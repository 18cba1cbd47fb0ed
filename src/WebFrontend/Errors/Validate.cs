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

    public static int Limit(int? limit, int fallback, int max)
    {
        var value = limit ?? fallback;
        That(value is >= 1 && value <= max, $"limit must be 1-{max}.");
        return value;
    }
}
