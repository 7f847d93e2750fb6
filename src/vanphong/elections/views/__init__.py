"""The counting room's pages: set-up (congresses, committee, elections, lists) and counting."""
