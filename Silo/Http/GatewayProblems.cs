using Microsoft.AspNetCore.WebUtilities;
using NeuroMesh.Network;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// Problem-details answers for the gateway: 400 with the offending field named (JSON paths, as <see cref="SpecError"/>
/// has them), and the mapping of the cluster's exceptions onto HTTP statuses.
/// </summary>
internal static partial class GatewayProblems
{
    /// <summary>A 400 naming one field.</summary>
    public static IResult Invalid(string field, string message)
        => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}", title: "Invalid request");

    /// <summary>A 400 naming every spec problem by its JSON path.</summary>
    public static IResult InvalidSpec(IReadOnlyList<SpecError> errors)
        => Results.ValidationProblem(
            errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: string.Join("; ", errors.Select(e => e.ToString())),
            title: "Invalid network spec");

    /// <summary>A 404 for an id the cluster does not know.</summary>
    public static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>Runs a cluster call and turns what it throws for bad input or a wrong state into 4xx/5xx problem details.</summary>
    public static async Task<IResult> Call(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (NetworkSpecException e)
        {
            return InvalidSpec(e.Errors);
        }
        catch (Exception e) when (Classify(e) is { } problem)
        {
            return problem.Status == StatusCodes.Status400BadRequest
                ? Invalid(problem.Field, problem.Message)
                : Results.Problem(statusCode: problem.Status, title: problem.Title, detail: problem.Message);
        }
    }

    /// <summary>
    /// What a cluster call's exception means for the caller: bad input (400, naming the field), an unknown id (404), a
    /// wrong state (409), a timeout (504) or an unreachable cluster (503); null for anything else (a bug: let it be a 500).
    /// The REST endpoints (<see cref="Call"/>) and the WebSocket's commands answer with it alike.
    /// </summary>
    public static GatewayProblem? Classify(Exception exception) => exception switch
    {
        NetworkSpecException e => new(StatusCodes.Status400BadRequest, "Invalid network spec", e.Errors.Count > 0 ? e.Errors[0].Path : "$", string.Join("; ", e.Errors.Select(x => x.ToString()))),
        ArgumentException e => new(StatusCodes.Status400BadRequest, "Invalid request", e.ParamName ?? "$", Safe(FirstLine(e.Message), "the request is invalid")),
        KeyNotFoundException e => new(StatusCodes.Status404NotFound, "Not found", "$", Safe(e.Message, "not found")),
        InvalidOperationException e => new(StatusCodes.Status409Conflict, "Conflict", "$", Safe(e.Message, "the run is not in a state that allows this")),

        // The cluster's own messages name silos, grains, assemblies and scheduler state: none of that goes to the client.
        TimeoutException => new(StatusCodes.Status504GatewayTimeout, "Timed out", "$", "the cluster did not answer in time; the operation may still complete, so read the status before retrying"),
        OrleansException => new(StatusCodes.Status503ServiceUnavailable, "Cluster unavailable", "$", "the cluster could not take the request; retry later"),
        _ => null,
    };

    /// <summary>
    /// The last check on every problem the gateway writes (through <c>AddProblemDetails</c>): a detail or field message that
    /// would name a .NET type, silo or stack frame is replaced by what its status means, and the development-only
    /// <c>exception</c> member is dropped.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions.Remove("exception");
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (problem.Detail is { } detail && Leaks(detail))
        {
            problem.Detail = ReasonPhrases.GetReasonPhrase(status);
        }

        if (problem is HttpValidationProblemDetails validation)
        {
            foreach (var (field, messages) in validation.Errors.ToArray())
            {
                validation.Errors[field] = [.. messages.Select(m => Safe(m, "invalid value"))];
            }
        }
    }

    /// <summary><paramref name="message"/> when it names no .NET type or silo address, otherwise <paramref name="instead"/>.</summary>
    internal static string Safe(string message, string instead) => Leaks(message) ? instead : message;

    /// <summary>Whether <paramref name="text"/> names a .NET type, a generic arity, a silo address or a stack frame.</summary>
    internal static bool Leaks(string text) => LeakPattern().IsMatch(text);

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(System|Microsoft|NeuroMesh|Orleans)\.[A-Za-z]|`\d|\bS\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}:\d+|\n\s+at |Exception\b")]
    private static partial System.Text.RegularExpressions.Regex LeakPattern();

    /// <summary>An exception message without the " (Parameter 'x')" that ArgumentException appends, which the field already says.</summary>
    internal static string FirstLine(string message)
    {
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

/// <summary>A classified failure: the HTTP status and title, the field it concerns (a JSON path, or "$") and what was wrong.</summary>
internal sealed record GatewayProblem(int Status, string Title, string Field, string Message);
