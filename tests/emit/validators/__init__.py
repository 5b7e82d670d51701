"""Tests of the validators compiler (generator/emit/validators/)."""
