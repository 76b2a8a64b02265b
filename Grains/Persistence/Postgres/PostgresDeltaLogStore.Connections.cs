using Npgsql;

namespace NeuroMesh.Persistence;

/// <summary>Connecting, and creating and migrating the schema once per store.</summary>
public sealed partial class PostgresDeltaLogStore
{
    private async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        await EnsureOpenAsync(cancellationToken);
        return await _dataSource.OpenConnectionAsync(cancellationToken);
    }

    private async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (_opened)
        {
            return;
        }

        await _openGate.WaitAsync(cancellationToken);
        try
        {
            if (_opened)
            {
                return;
            }

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

            // Every store (in any process) that opens this schema migrates under one transaction-scoped advisory lock,
            // so two silos starting together cannot both apply a step.
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock(hashtext('neuromesh.deltalog.{_schema}')); CREATE SCHEMA IF NOT EXISTS {_schema}", connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            await _migrator.MigrateAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _opened = true;
        }
        finally
        {
            _openGate.Release();
        }
    }
}
