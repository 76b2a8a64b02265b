namespace NeuroMesh.Silo.Http;

/// <summary>What the HTTPS gateway answers a request that arrives over plain HTTP (<c>/health/*</c> is always served, for probes).</summary>
public enum PlainHttpMode
{
    /// <summary>GET and HEAD get a 308 to the same path over HTTPS; any other method gets 403 (its body and key already went in clear text).</summary>
    Redirect,

    /// <summary>Every request gets 403, naming the HTTPS address.</summary>
    Refuse,
}
