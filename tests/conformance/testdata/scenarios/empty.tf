# No resources: planning this destroys everything in the state.
