using Xunit;

// One server for every test: incoming-call counts and channel listings must not see another test's calls.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
