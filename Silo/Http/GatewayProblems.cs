using NeuroMesh.Network;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// Problem-details answers for the gateway: 400 with the offending field named (JSON paths, as <see cref="SpecError"/>
/// has them), and the mapping of the cluster's exceptions onto HTTP statuses.
/// </summary>
internal static class GatewayProblems
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

    /// <summary>Runs a cluster call and turns what it throws for bad input or a wrong state into 4xx problem details.</summary>
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
        catch (ArgumentException e)
        {
            return Invalid(e.ParamName ?? "$", FirstLine(e.Message));
        }
        catch (KeyNotFoundException e)
        {
            return NotFound(e.Message);
        }
        catch (InvalidOperationException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message);
        }
        catch (TimeoutException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "Timed out", detail: e.Message);
        }
    }

    // ArgumentException appends " (Parameter 'x')", which the field already says.
    private static string FirstLine(string message)
    {
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
