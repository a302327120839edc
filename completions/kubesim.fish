complete --keep-order --exclusive --command kubesim --arguments "(COMPLETE=fish kubesim -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
