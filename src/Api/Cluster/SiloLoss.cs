namespace Personalization.Api.Cluster;

/// <summary>
/// A grain call pending on a silo that left the cluster (stopped in a rolling restart, or declared dead after a crash)
/// fails with <see cref="SiloUnavailableException"/> although nothing is wrong with the grain: by then Orleans routes a
/// new call to a live activation. Idempotent calls (reading recommendations) are sent once more instead of showing
/// the user a 503; a second failure is a real outage and goes to the error handler.
/// </summary>
internal static class SiloLoss
{
    public static async ValueTask<TResult> RetryOnceAsync<TState, TResult>(Func<TState, ValueTask<TResult>> call, TState state)
    {
        try
        {
            return await call(state).ConfigureAwait(false);
        }
        catch (SiloUnavailableException)
        {
            return await call(state).ConfigureAwait(false);
        }
    }
}
