using BenchmarkDotNet.Running;

// Run one suite:   dotnet run -c Release --project bench/Personalization.Benchmarks -- --filter '*GrainCall*'
// List the suites: dotnet run -c Release --project bench/Personalization.Benchmarks -- --list flat
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
