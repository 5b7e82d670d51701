"""Tests of the emitters (generator/emit/)."""
