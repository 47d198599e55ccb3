"""The console's pages, one blueprint per concern; `console.bp` nests them all under /console,
behind the guard in `console.pages.common`."""
