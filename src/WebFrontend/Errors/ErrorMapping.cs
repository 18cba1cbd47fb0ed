using Chat.Grains.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;

namespace Chat.WebFrontend.Errors;

/// <summary>
/// One place that turns every failure into the API.md error body: refusals from grains keep their code, bad
/// requests become VALIDATION_ERROR, a cluster or database that does not answer becomes 503, and only a real
/// bug becomes 500.
/// </summary>
public static class ErrorMapping
{
    public static ApiError ToApiError(Exception exception) => exception switch
    {
        ChatException chat => ApiError.Of(chat.Code, chat.Message),
        RateLimits.RateLimitExceededException limited => ApiError.Of(ErrorCodes.RateLimitExceeded, $"{limited.Message} Retry after {limited.RetryAfterSeconds} s."),
        Hosting.NodeDrainingException draining => ApiError.Of(ErrorCodes.ServiceUnavailable, draining.Message),
        BadHttpRequestException bad => ApiError.Of(ApiError.CodeOf(bad.StatusCode), BadRequestMessage(bad)),
        TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
            or ClientNotAvailableException or OperationCanceledException or Azure.RequestFailedException
            // The Azure SDK reports exhausted retries as an AggregateException of the attempts' failures.
            or AggregateException { InnerExceptions: [Azure.RequestFailedException, ..] } =>
            ApiError.Of(ErrorCodes.ServiceUnavailable, "The service is temporarily unavailable; retry shortly."),
        _ => ApiError.Of(ErrorCodes.Internal, "An unexpected error occurred."),
    };

    public static WebApplication UseChatErrors(this WebApplication app)
    {
        // ChatExceptionHandler answers every exception; the handler below is only the framework's required fallback.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return context.Response.WriteAsJsonAsync(ApiError.Of(ErrorCodes.Internal, "An unexpected error occurred."));
            },
        });
        // Responses that leave the pipeline with an error status and no body (routing misses, auth challenges).
        app.UseStatusCodePages(async status =>
        {
            var response = status.HttpContext.Response;
            if (response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            {
                response.StatusCode = StatusCodes.Status404NotFound; // API.md has no code for 405: no such route
            }

            var code = ApiError.CodeOf(response.StatusCode);
            await response.WriteAsJsonAsync(ApiError.Of(code, ReasonOf(response.StatusCode)));
        });
        return app;
    }

    private static string BadRequestMessage(BadHttpRequestException bad) => bad switch
    {
        { InnerException: System.Text.Json.JsonException json } => $"The request body is not valid: {json.Message}",
        _ when bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) => "A JSON request body is required.",
        _ => bad.Message,
    };

    private static string ReasonOf(int status) => status switch
    {
        401 => "Authentication is required.",
        404 => "Not found.",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
