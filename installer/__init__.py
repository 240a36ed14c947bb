"""Building the Windows setup, the portable ZIP and the Linux bundle (see docs/windows-build.md)."""
