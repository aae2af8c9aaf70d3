using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Run one suite:   dotnet run -c Release --project bench/Personalization.Benchmarks -- --filter '*GrainCall*'
// List the suites: dotnet run -c Release --project bench/Personalization.Benchmarks -- --list flat
// Check that every benchmark runs (seconds, no numbers): ... -- --filter '*' --job dry --inProcess
//
// The default toolchain builds a copy of this project and its references (src/Grains, src/Aws, Orleans' code
// generation) for every run; on a shared 2-core machine that takes longer than BenchmarkDotNet's 2-minute default.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
