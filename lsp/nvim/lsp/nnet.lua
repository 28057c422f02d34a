-- The nnet language server for Neovim 0.11+ (`:help lsp-config`): with this directory on the
-- runtimepath, `vim.lsp.enable('nnet')` starts `nnet lsp --stdio` for every nnet buffer.
return {
  cmd = { 'nnet', 'lsp', '--stdio' },
  filetypes = { 'nnet' },
  root_markers = { '.git' },
}
