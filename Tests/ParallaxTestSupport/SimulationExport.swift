// The simulated devices, generated data and loopback servers live in ParallaxSimulation, which
// parallax-bench drives too; every test target sees them through this one import.
@_exported import ParallaxSimulation
