using Chat.Grains.Errors;
using Chat.WebFrontend.Errors;
using Microsoft.AspNetCore.Http;

namespace Chat.UnitTests;

public sealed class ErrorMappingTests
{
    [Theory]
    [InlineData(ErrorCodes.Validation, 400)]
    [InlineData(ErrorCodes.Unauthorized, 401)]
    [InlineData(ErrorCodes.Forbidden, 403)]
    [InlineData(ErrorCodes.NotFound, 404)]
    [InlineData(ErrorCodes.Conflict, 409)]
    [InlineData(ErrorCodes.RateLimitExceeded, 429)]
    [InlineData(ErrorCodes.ServiceUnavailable, 503)]
    public void EachCodeHasTheStatusOfTheApi(string code, int status) =>
        Assert.Equal(status, ApiError.StatusOf(ErrorMapping.ToApiError(new ChatException(code, "x")).Error.Code));

    [Fact]
    public void AMalformedRequestIsAValidationErrorNotA500() =>
        Assert.Equal(ErrorCodes.Validation, ErrorMapping.ToApiError(new BadHttpRequestException("bad", 400)).Error.Code);

    [Fact]
    public void AClusterThatDoesNotAnswerIs503() =>
        Assert.Equal(ErrorCodes.ServiceUnavailable, ErrorMapping.ToApiError(new TimeoutException()).Error.Code);

    [Fact]
    public void BlobStorageThatDoesNotAnswerIs503()
    {
        var refused = new Azure.RequestFailedException("connection refused");
        Assert.Equal(ErrorCodes.ServiceUnavailable, ErrorMapping.ToApiError(refused).Error.Code);
        Assert.Equal(ErrorCodes.ServiceUnavailable, ErrorMapping.ToApiError(new AggregateException(refused, refused)).Error.Code);
        Assert.Equal(ErrorCodes.Internal, ErrorMapping.ToApiError(new AggregateException(new InvalidOperationException())).Error.Code);
    }

    [Fact]
    public void OnlyAnUnexpectedExceptionIs500() =>
        Assert.Equal(ErrorCodes.Internal, ErrorMapping.ToApiError(new InvalidOperationException()).Error.Code);
}
