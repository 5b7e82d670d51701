"""`python -m generator` behaves like the `sdkgen` console script."""

from generator.cli import main

if __name__ == "__main__":
    main()
