namespace Personalization.Grains.Configuration;

/// <summary>Wire names localdb, dynamodb, personalize.</summary>
public enum ItemMetadataType
{
    LocalDb,
    DynamoDb,
    Personalize,
}
