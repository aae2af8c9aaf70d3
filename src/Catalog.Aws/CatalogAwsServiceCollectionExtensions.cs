using Amazon.DynamoDBv2;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Grains.Catalog;

namespace Personalization.Catalog.Aws;

public static class CatalogAwsServiceCollectionExtensions
{
    /// <summary>
    /// DynamoDB item metadata for decoration and S3 for <c>s3://</c> data paths. The clients are created on first use,
    /// so a deployment that uses neither needs no AWS credentials.
    /// </summary>
    public static IServiceCollection AddAwsCatalogSources(
        this IServiceCollection services,
        Func<IServiceProvider, IAmazonDynamoDB> dynamoDB,
        Func<IServiceProvider, IAmazonS3> s3)
    {
        services.TryAddKeyedSingleton<IAmazonDynamoDB>(ServiceKey, (sp, _) => dynamoDB(sp));
        services.TryAddKeyedSingleton<IAmazonS3>(ServiceKey, (sp, _) => s3(sp));
        services.TryAddSingleton<IItemMetadataReader>(sp => new DynamoDBItemMetadataReader(
            new Lazy<IAmazonDynamoDB>(() => sp.GetRequiredKeyedService<IAmazonDynamoDB>(ServiceKey)),
            sp.GetRequiredService<IOptions<CatalogSourceOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DynamoDBItemMetadataReader>>()));
        services.TryAddSingleton<IS3ObjectReader>(sp => new S3ObjectReader(new Lazy<IAmazonS3>(() => sp.GetRequiredKeyedService<IAmazonS3>(ServiceKey))));
        return services;
    }

    /// <summary>The key of the catalog's own AWS clients (kept apart from any other DynamoDB client of the host).</summary>
    public const string ServiceKey = "personalization-catalog";
}
