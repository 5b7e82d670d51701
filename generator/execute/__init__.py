"""How a run is carried out: forked helpers beside this process, a pool for several specs, or one step after another."""
