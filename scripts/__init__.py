"""Build and maintenance scripts; bundle_contents is imported by build.spec and bench."""
