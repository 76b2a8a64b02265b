using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// The last line: an exception no endpoint answered becomes a problem that says what the client can act on and nothing
/// else. A query or route value that does not bind is a 400 naming it; a cluster failure gets its status
/// (<see cref="GatewayProblems.Classify"/>); anything else is a 500 whose cause stays in the node's log.
/// </summary>
internal sealed partial class GatewayExceptionHandler(IProblemDetailsService problems, ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, field, detail) = exception switch
        {
            BadHttpRequestException bad when BindFailure().Match(bad.Message) is { Success: true } m
                => (bad.StatusCode, "Invalid request", m.Groups["name"].Value, $"'{m.Groups["name"].Value}' has an invalid value"),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", "$", "the request could not be read"),
            _ when GatewayProblems.Classify(exception) is { } p => (p.Status, p.Title, p.Field, p.Message),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "$", "the gateway failed to handle this request; the cause is in the node's log"),
        };

        if (status >= 500)
        {
            LogFailure(logger, context.Request.Method, context.Request.Path, exception);
        }

        context.Response.StatusCode = status;
        var details = status == StatusCodes.Status400BadRequest
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] }) { Status = status, Title = title, Detail = $"{field}: {detail}" }
            : new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details });
    }

    [GeneratedRegex(@"(?:parameter|value) ""(?:[^""]* )?(?<name>[A-Za-z_][\w]*)""")]
    private static partial Regex BindFailure();

    [LoggerMessage(Level = LogLevel.Error, Message = "The gateway failed on {Method} {Path}")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception exception);
}
