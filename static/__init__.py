"""The assets every page loads (styles, scripts, vendored libraries, fonts, sounds); a package so the wheel carries it."""
