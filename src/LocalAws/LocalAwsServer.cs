using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Personalization.Aws.Configuration;
using Personalization.LocalAws.Admin;

namespace Personalization.LocalAws;

/// <summary>
/// The local AWS server, in-process for tests (<see cref="StartAsync"/>) or as a program
/// (<c>dotnet run --project src/LocalAws -- --urls http://127.0.0.1:4566</c>).
/// </summary>
public sealed class LocalAwsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalAwsServer(WebApplication app, LocalAwsState state, Uri url)
    {
        _app = app;
        State = state;
        Url = url;
    }

    public Uri Url { get; }

    public LocalAwsState State { get; }

    /// <summary>Builds the app; <paramref name="args"/> may carry --urls and other host settings.</summary>
    public static (WebApplication App, LocalAwsState State) Build(LocalAwsOptions options, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        if (args is null || !args.Any(a => a.StartsWith("--urls", StringComparison.Ordinal)))
        {
            builder.WebHost.UseUrls(options.Urls);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var state = new LocalAwsState(options);
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        var dispatcher = new RequestDispatcher(state);
        app.MapLocalAdmin(state);
        app.MapFallback(dispatcher.HandleAsync);
        return (app, state);
    }

    /// <summary>Starts on 127.0.0.1 (a free port unless <see cref="LocalAwsOptions.Urls"/> says otherwise).</summary>
    public static async Task<LocalAwsServer> StartAsync(LocalAwsOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (app, state) = Build(options ?? new LocalAwsOptions());
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        return new LocalAwsServer(app, state, new Uri(address));
    }

    /// <summary>Client options that point every served service at this server with the test credentials.</summary>
    public AwsClientOptions ClientOptions(Action<AwsClientOptions>? configure = null)
    {
        var options = new AwsClientOptions
        {
            Region = "us-east-1",
            AccessKeyId = LocalAwsOptions.TestAccessKeyId,
            SecretAccessKey = LocalAwsOptions.TestSecretAccessKey,
        };
        foreach (var service in AwsService.All)
        {
            if (service != AwsService.Kinesis)
            {
                options.ServiceUrls[service.EndpointPrefix] = Url;
            }
        }

        configure?.Invoke(options);
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
