namespace Personalization.Api.Tests.Cluster;

/// <summary>The hand-written catalog of the <c>fake</c> namespace: five items whose metadata tests can name exactly.</summary>
public static class TestCatalog
{
    public const string FileName = "fake-items.jsonl";

    public static readonly string[] Lines =
    [
        """{"id":"a","name":"Alpha","price":10.5,"category":"tools","brand":"Acme"}""",
        """{"id":"b","name":"Bravo","price":20,"category":"tools","brand":"Acme"}""",
        """{"id":"c","name":"Charlie","price":5,"category":"garden","brand":"Bolt"}""",
        """{"id":"d","name":"Delta","price":99.99,"category":"garden","brand":"Bolt"}""",
        """{"id":"e","name":"Echo","price":1,"category":"toys","brand":"Cogs"}""",
    ];

    public static string Jsonl(IEnumerable<string>? lines = null) => string.Join('\n', lines ?? Lines) + "\n";
}
