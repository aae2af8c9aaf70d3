namespace Personalization.Grains.Samples;

/// <summary>Words the generator builds product names and descriptions from.</summary>
internal static class SampleVocabulary
{
    public static readonly (string Category, double BasePrice, string[] Subcategories)[] Categories =
    [
        ("Electronics", 120, ["Headphones", "Smartphones", "Laptops", "Cameras", "Smartwatches", "Speakers"]),
        ("Home & Kitchen", 45, ["Cookware", "Coffee Makers", "Bedding", "Lighting", "Storage", "Knives"]),
        ("Books", 18, ["Fiction", "Cookbooks", "Science", "History", "Children's Books", "Travel Guides"]),
        ("Sports & Outdoors", 60, ["Running Shoes", "Yoga", "Camping", "Cycling", "Swimming", "Climbing"]),
        ("Beauty", 25, ["Skincare", "Makeup", "Haircare", "Fragrance", "Nail Care", "Shaving"]),
        ("Toys & Games", 30, ["Board Games", "Puzzles", "Building Sets", "Dolls", "Outdoor Toys", "Card Games"]),
        ("Clothing", 40, ["T-Shirts", "Jackets", "Jeans", "Dresses", "Sweaters", "Socks"]),
        ("Grocery", 9, ["Coffee", "Tea", "Snacks", "Pasta", "Spices", "Chocolate"]),
        ("Garden", 50, ["Planters", "Seeds", "Garden Tools", "Outdoor Furniture", "Grills", "Hoses"]),
        ("Pet Supplies", 22, ["Dog Food", "Cat Toys", "Aquariums", "Pet Beds", "Leashes", "Bird Feeders"]),
        ("Office", 28, ["Notebooks", "Pens", "Desk Chairs", "Desk Lamps", "Organizers", "Backpacks"]),
        ("Automotive", 35, ["Car Care", "Car Electronics", "Seat Covers", "Tools", "Roof Racks", "Floor Mats"]),
    ];

    public static readonly string[] Brands =
    [
        "Nordvik", "Aurelia", "Kestrel", "Lumio", "Brightwater", "Ferro", "Oakhaven", "Velora", "Tandem", "Quilla",
        "Solstice", "Harbor & Pine", "Zentro", "Mirabel", "Cobalt", "Everfield", "Pimento", "Riverstone", "Halcyon", "Tessel",
        "Novara", "Wrenfield", "Astra", "Bramble", "Calyx", "Driftwood", "Emberly", "Fjordline", "Granite Peak", "Juniper",
    ];

    public static readonly string[] Adjectives =
    [
        "Classic", "Compact", "Deluxe", "Essential", "Premium", "Ultra", "Eco", "Pro", "Smart", "Vintage",
        "Lightweight", "Heritage", "Modern", "Rugged", "Everyday", "Signature", "Studio", "Travel", "Urban", "Wild",
    ];

    public static readonly string[] Features =
    [
        "Built to last with carefully chosen materials.",
        "A customer favourite for everyday use.",
        "Designed for comfort and easy care.",
        "Thoughtfully made and backed by a two-year warranty.",
        "Lightweight, durable and ready for anything.",
        "Crafted in small batches for consistent quality.",
        "Award-winning design that fits any space.",
        "Simple to set up and a joy to use.",
    ];
}
