namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// What each import costs from a call's host budget (<see cref="WasmOptions.FuelPerCall"/> units, kept apart from the
/// module's own fuel), about in proportion to the host work it does; byte counts add one unit a byte.
/// </summary>
internal static class WasmImportCosts
{
    public const long Fire = 200;
    public const long Find = 2_000;
    public const long PerFound = 100;
    public const long State = 500;
    public const long Now = 20;
    public const long Log = 5_000;
}
