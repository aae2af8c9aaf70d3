using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Personalization.Grains.Catalog;
using S3Location = Personalization.Grains.Catalog.S3Location;
using S3ObjectVersion = Personalization.Grains.Catalog.S3ObjectVersion;

namespace Personalization.Catalog.Aws;

/// <summary><c>s3://</c> data files through AWSSDK.S3: conditional GETs on the ETag, and the newest object under a staging prefix.</summary>
/// <remarks>The client is created on first use, so a silo without s3:// paths needs no region or credentials.</remarks>
public sealed class S3ObjectReader(Lazy<IAmazonS3> client) : IS3ObjectReader
{
    public S3ObjectReader(IAmazonS3 client)
        : this(new Lazy<IAmazonS3>(client))
    {
    }

    public async Task<S3ObjectVersion?> FindNewestAsync(S3Location prefix, CancellationToken cancellationToken)
    {
        S3ObjectVersion? newest = null;
        var request = new ListObjectsV2Request { BucketName = prefix.Bucket, Prefix = prefix.Key };
        try
        {
            do
            {
                var page = await client.Value.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                foreach (var candidate in page.S3Objects ?? [])
                {
                    // As the original: empty objects are ignored; so are "folder" markers.
                    if (candidate.Size is > 0 && !candidate.Key.EndsWith('/')
                        && (newest is null || candidate.LastModified > newest.LastModified
                            || (candidate.LastModified == newest.LastModified && string.CompareOrdinal(candidate.Key, newest.Key) > 0)))
                    {
                        newest = new S3ObjectVersion(candidate.Key, candidate.ETag, candidate.Size ?? 0, candidate.LastModified);
                    }
                }

                request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (request.ContinuationToken is not null);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{prefix}: {exception.Message}", prefix.ToString(), exception);
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException)
        {
            throw new IOException($"{prefix}: listing failed ({exception.Message})", exception);
        }

        return newest;
    }

    public async Task<S3ObjectVersion?> DownloadIfChangedAsync(S3Location location, string? ifNoneMatch, Stream destination, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = location.Bucket, Key = location.Key, EtagToNotMatch = ifNoneMatch };
        try
        {
            using var response = await client.Value.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.HttpStatusCode == HttpStatusCode.NotModified)
            {
                return null;
            }

            await response.ResponseStream.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
            return new S3ObjectVersion(location.Key, response.ETag, response.ContentLength, response.LastModified);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotModified)
        {
            return null;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{location}: {exception.Message}", location.ToString(), exception);
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException)
        {
            throw new IOException($"{location}: download failed ({exception.Message})", exception);
        }
    }
}
