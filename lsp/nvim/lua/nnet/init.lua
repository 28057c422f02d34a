-- Starts the nnet language server (`nnet lsp --stdio`) for nnet buffers, on Neovim 0.7 and later:
--   require('nnet').setup()                                  -- `nnet` on the PATH
--   require('nnet').setup({ cmd = { 'node', '/path/to/nnet/dist/cli/main.js', 'lsp', '--stdio' } })
--   require('nnet').setup({ on_attach = function(client, bufnr) ... end })   -- your key maps
-- 0.11+ uses vim.lsp.config/vim.lsp.enable, 0.8-0.10 vim.lsp.start, 0.7 vim.lsp.start_client with
-- one client per project root. See docs/editor.md.
local M = {}

local defaults = { cmd = { 'nnet', 'lsp', '--stdio' }, root_markers = { '.git' } }

--- The nearest directory above the buffer's file holding one of the markers, else the file's own.
local function root_dir(bufnr, markers)
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
  for _, marker in ipairs(markers) do
    local found = vim.fn.finddir(marker, dir .. ';')
    if found == '' then
      found = vim.fn.findfile(marker, dir .. ';')
    end
    if found ~= '' then
      local marker_path = vim.fn.fnamemodify(found, ':p'):gsub('/$', '')
      return vim.fn.fnamemodify(marker_path, ':h')
    end
  end
  return dir
end

local clients = {} -- 0.7: client id per root directory

local function attach(bufnr, opts)
  local config = { name = 'nnet', cmd = opts.cmd, root_dir = root_dir(bufnr, opts.root_markers), on_attach = opts.on_attach }
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  -- 0.7: completion through <C-x><C-o> (later versions set this themselves).
  vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  local id = clients[config.root_dir]
  if not id or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

function M.setup(opts)
  opts = vim.tbl_extend('force', defaults, opts or {})
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config('nnet', { cmd = opts.cmd, filetypes = { 'nnet' }, root_markers = opts.root_markers, on_attach = opts.on_attach })
    vim.lsp.enable('nnet')
    return
  end
  local group = vim.api.nvim_create_augroup('nnet_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'nnet',
    callback = function(args)
      attach(args.buf, opts)
    end,
  })
end

return M
