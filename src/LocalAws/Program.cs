using Personalization.LocalAws;

// Runnable by hand: dotnet run --project src/LocalAws -- --urls http://127.0.0.1:4566
var (app, _) = LocalAwsServer.Build(new LocalAwsOptions(), args);
app.Run();
