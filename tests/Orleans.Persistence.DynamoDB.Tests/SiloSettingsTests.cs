using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.TestingHost;
using Personalization.TestSupport;

namespace Personalization.Orleans.Persistence.DynamoDB.Tests;

/// <summary>
/// The registration the report proposes for src/Silo (Storage__DynamoDB__* bound to the options, the client built from
/// the Aws__* settings), run in a silo against dynalite. <see cref="AwsSettings"/> stands in for
/// Personalization.Aws.Configuration.AwsClientOptions (same names), which this generic provider must not reference.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class SiloSettingsTests(DynaliteFixture dynalite)
{
    public sealed class AwsSettings
    {
        public string? Region { get; set; }

        public Dictionary<string, Uri> ServiceUrls { get; set; } = new(StringComparer.OrdinalIgnoreCase);

        public string? AccessKeyId { get; set; }

        public string? SecretAccessKey { get; set; }

        public string? SessionToken { get; set; }
    }

    [Fact]
    public async Task Storage_and_Aws_settings_configure_the_default_storage()
    {
        var table = StorageFactory.NewTableName();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "dynamodb",
            ["Storage:DynamoDB:TableName"] = table,
            ["Storage:DynamoDB:CreateIfNotExists"] = "true",
            ["Storage:DynamoDB:TimeToLive"] = "30.00:00:00",
            ["Aws:Region"] = "eu-west-1",
            ["Aws:ServiceUrls:dynamodb"] = dynalite.ServiceUrl.ToString(),
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.Configure<AwsSettings>(configuration.GetSection("Aws"));
            UseDynamoDBStorage(silo, configuration);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var grain = cluster.Client.GetGrain<IProfileGrain>("settings-user");
        await grain.SetAsync("from settings");
        await cluster.DeactivateAsync(grain);
        Assert.Equal("from settings", await grain.GetAsync());

        var options = cluster.GetSiloServiceProvider().GetRequiredService<IOptionsMonitor<DynamoDBGrainStorageOptions>>().Get(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        Assert.Equal((table, true, TimeSpan.FromDays(30)), (options.TableName, options.CreateIfNotExists, options.TimeToLive));
        using var factory = new StorageFactory(dynalite);
        Assert.Equal(table, (await factory.Client.DescribeTableAsync(table)).Table.TableName);
    }

    /// <summary>What src/Silo/Hosting/OrleansSiloBuilderExtensions.cs would call for Storage__Provider=dynamodb.</summary>
    private static void UseDynamoDBStorage(ISiloBuilder silo, IConfiguration configuration) =>
        silo.AddDynamoDBGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, options => options
            .Bind(configuration.GetSection("Storage:DynamoDB"))
            .Configure<IOptions<AwsSettings>>((o, aws) => o.CreateClient = _ => CreateDynamoDBClient(aws.Value)));

    /// <summary>Region, endpoint override and optional fixed keys as src/Aws reads them; else the SDK chain (IRSA included).</summary>
    private static AmazonDynamoDBClient CreateDynamoDBClient(AwsSettings aws)
    {
        var config = new AmazonDynamoDBConfig();
        if (aws.ServiceUrls.TryGetValue("dynamodb", out var url))
        {
            // A local server or VPC endpoint: the URL decides where to go, the region only how to sign.
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = aws.Region ?? "us-east-1";
        }
        else if (!string.IsNullOrWhiteSpace(aws.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(aws.Region);
        }

        if (!string.IsNullOrEmpty(aws.AccessKeyId))
        {
            AWSCredentials credentials = string.IsNullOrEmpty(aws.SessionToken)
                ? new BasicAWSCredentials(aws.AccessKeyId, aws.SecretAccessKey)
                : new SessionAWSCredentials(aws.AccessKeyId, aws.SecretAccessKey, aws.SessionToken);
            return new AmazonDynamoDBClient(credentials, config);
        }

        return new AmazonDynamoDBClient(config);
    }
}
