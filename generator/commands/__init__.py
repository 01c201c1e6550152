"""The commands of `codat-sdkgen`, each a function of its parsed arguments and one target's settings."""
