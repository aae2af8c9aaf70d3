using Personalization.Silo.Commands;
using Xunit;

namespace Personalization.Api.Tests.Hosting;

/// <summary>
/// SIGTERM belongs to the host, not to the command line: System.CommandLine's own handler would end the process 2 s
/// after SIGTERM (exit 143) whatever the shutdown budget. The rolling-restart drill asserts exit code 0 end to end.
/// </summary>
public sealed class ShutdownSignalTests
{
    [Fact]
    public void The_command_line_leaves_process_termination_to_the_host()
    {
        Assert.Null(ServeCommand.Invocation.ProcessTerminationTimeout);
    }
}
