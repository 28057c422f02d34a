" .nnet files are nnet models (docs/editor.md). Vim script, so Neovim 0.7 sources it too.
autocmd BufRead,BufNewFile *.nnet setfiletype nnet
