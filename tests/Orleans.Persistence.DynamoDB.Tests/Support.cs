using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization.Activators;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Personalization.TestSupport;

namespace Personalization.Orleans.Persistence.DynamoDB.Tests;

/// <summary>One dynalite for the whole assembly: starting node for every class would cost more than the tests.</summary>
[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteFixture>
{
    public const string Name = "dynalite";
}

/// <summary>State type of the storage tests; a class with a collection, as grain state usually is.</summary>
public sealed class TestState
{
    public string? Name { get; set; }

    public int Count { get; set; }

    public List<string> Items { get; set; } = [];
}

/// <summary>The storage serializer of the direct tests (a silo fills it from DI instead).</summary>
public sealed class SystemTextJsonStorageSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input);

    public T? Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(JsonSerializerOptions.Default);
}

/// <summary>Creates new state with the parameterless constructor, as Orleans' activator provider does for such types.</summary>
public sealed class NewActivatorProvider : IActivatorProvider
{
    public IActivator<T> GetActivator<T>() => new Activator<T>();

    private sealed class Activator<T> : IActivator<T>
    {
        public T Create() => System.Activator.CreateInstance<T>();
    }
}

public sealed class GrainState<T>(T state) : IGrainState<T>
{
    // Orleans declares the setter as accepting null ([AllowNull]); tests never store null.
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public T State { get; set; } = state;

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}

/// <summary>Builds storages on fresh dynalite tables and reads items behind their back.</summary>
public sealed class StorageFactory(DynaliteFixture dynalite) : IDisposable
{
    private static int _tables;

    public AmazonDynamoDBClient Client { get; } = CreateClient(dynalite);

    public static AmazonDynamoDBClient CreateClient(DynaliteFixture dynalite) => new(
        new BasicAWSCredentials("test", "test"),
        new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl.ToString(), AuthenticationRegion = "us-east-1" });

    public static string NewTableName() => $"grains-{Environment.ProcessId}-{Interlocked.Increment(ref _tables)}";

    /// <summary>A storage on its own new table (created through the lifecycle's Init, as in a silo).</summary>
    public async Task<(DynamoDBGrainStorage Storage, string Table)> CreateAsync(
        Action<DynamoDBGrainStorageOptions>? configure = null, string serviceId = "test-service", TimeProvider? clock = null, string? table = null, string name = "dynamo")
    {
        table ??= NewTableName();
        var options = new DynamoDBGrainStorageOptions
        {
            TableName = table,
            CreateIfNotExists = true,
            GrainStorageSerializer = new SystemTextJsonStorageSerializer(),
        };
        configure?.Invoke(options);
        var storage = Create(options, serviceId, clock, name);
        await storage.InitAsync(CancellationToken.None);
        return (storage, table);
    }

    public DynamoDBGrainStorage Create(DynamoDBGrainStorageOptions options, string serviceId = "test-service", TimeProvider? clock = null, string name = "dynamo")
    {
        var services = new ServiceCollection().AddSingleton<IAmazonDynamoDB>(Client).BuildServiceProvider();
        return new DynamoDBGrainStorage(
            name, options, Options.Create(new ClusterOptions { ServiceId = serviceId, ClusterId = "test-cluster" }), services, new NewActivatorProvider(), clock);
    }

    public async Task<Dictionary<string, AttributeValue>?> RawItemAsync(string table, string hashKey, string stateName)
    {
        var response = await Client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            ConsistentRead = true,
            Key = new Dictionary<string, AttributeValue>
            {
                ["GrainReference"] = new() { S = hashKey },
                ["GrainType"] = new() { S = stateName },
            },
        });
        return response.Item is { Count: > 0 } item ? item : null;
    }

    public void Dispose() => Client.Dispose();
}
