using Obelus.Reactive.WorkerSample;

// Runs the sample calls against the embedded simulator (Sample:Simulate, the default) or against
// the server of the Obelus:Ami section (give the secret as the environment variable Obelus__Ami__Secret).
return await WorkerSampleApp.RunAsync(args);
