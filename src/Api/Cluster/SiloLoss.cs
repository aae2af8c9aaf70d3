namespace Personalization.Api.Cluster;

/// <summary>
/// A grain call that meets a silo leaving the cluster fails although nothing is wrong with the grain: the stopping
/// silo rejects it ("Silo stopping", <see cref="OrleansMessageRejectionException"/>), or the silo is declared dead
/// while the call is pending (<see cref="SiloUnavailableException"/>, a subtype). A moment later Orleans routes the
/// same call to a live activation. Idempotent calls (reading recommendations) are sent once more after
/// <see cref="RetryDelay"/> instead of showing the user a 503; a second failure is a real outage and goes to the error
/// handler.
/// </summary>
internal static class SiloLoss
{
    /// <summary>Long enough for the grain directory to drop the leaving silo's entries, short next to any timeout.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    public static async ValueTask<TResult> RetryOnceAsync<TState, TResult>(Func<TState, ValueTask<TResult>> call, TState state, TimeProvider time)
    {
        try
        {
            return await call(state).ConfigureAwait(false);
        }
        catch (OrleansMessageRejectionException)
        {
            await Task.Delay(RetryDelay, time).ConfigureAwait(false);
            return await call(state).ConfigureAwait(false);
        }
    }
}
