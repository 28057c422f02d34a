-- Drives Neovim's own LSP client against `nnet lsp --stdio` and writes what it saw to a JSON file
-- that test/lsp/neovim.test.ts asserts on. Run as `nvim --headless -u NONE -i NONE -S drive.lua`
-- with NNET_PLUGIN (lsp/nvim), NNET_CMD (the server command, JSON), NNET_FILE (a .nnet file with a
-- shape error) and NNET_RESULT (where to write). Every wait is a bounded vim.wait; any error is
-- written to the result and Neovim exits, so the test never hangs.
local TIMEOUT = 15000
local version = vim.version()
local out = { version = { major = version.major, minor = version.minor, patch = version.patch } }

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

local function wait_for(what, condition)
  if not vim.wait(TIMEOUT, condition, 20) then
    error('timed out waiting for ' .. what)
  end
end

--- The one answer of the nnet client to a request, waited for (buf_request_sync waits with vim.wait).
local function request(bufnr, method, params)
  local answers, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  if not answers then
    error(method .. ': ' .. tostring(err))
  end
  for _, answer in pairs(answers) do
    if answer.err then
      error(method .. ': ' .. vim.inspect(answer.err))
    end
    return answer.result
  end
  error(method .. ': no answer')
end

--- Request parameters at the first occurrence of `needle` (plus `delta` characters).
local function position_of(bufnr, needle, delta)
  for line, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = text:find(needle, 1, true)
    if col then
      return {
        textDocument = { uri = vim.uri_from_bufnr(bufnr) },
        position = { line = line - 1, character = col - 1 + (delta or 0) },
      }
    end
  end
  error("'" .. needle .. "' not in the buffer")
end

local function diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, { lnum = d.lnum, col = d.col, severity = d.severity, code = d.code, message = d.message })
  end
  return list
end

local function run()
  vim.opt.runtimepath:prepend(os.getenv('NNET_PLUGIN'))
  vim.cmd('filetype plugin on')
  require('nnet').setup({
    cmd = vim.fn.json_decode(os.getenv('NNET_CMD')),
    on_attach = function(client)
      out.attached = client.name
    end,
  })

  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('NNET_FILE')))
  local bufnr = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[bufnr].filetype
  out.ftplugin = {
    commentstring = vim.bo[bufnr].commentstring,
    shiftwidth = vim.bo[bufnr].shiftwidth,
    expandtab = vim.bo[bufnr].expandtab,
  }

  -- Diagnostics: published after the server checks the opened file.
  wait_for('diagnostics', function()
    return #vim.diagnostic.get(bufnr) > 0
  end)
  out.diagnostics = diagnostics(bufnr)
  out.omnifunc = vim.bo[bufnr].omnifunc

  -- The quick fix of the error, applied as a user's code action would be.
  local first = vim.diagnostic.get(bufnr, { severity = vim.diagnostic.severity.ERROR })[1]
  local range = {
    start = { line = first.lnum, character = first.col },
    ['end'] = { line = first.end_lnum, character = first.end_col },
  }
  local actions = request(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = range,
    context = { diagnostics = {}, only = { 'quickfix' } },
  })
  out.codeActions = {}
  for _, action in ipairs(actions) do
    table.insert(out.codeActions, action.title)
  end
  vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
  wait_for('the diagnostics to clear', function()
    return #vim.diagnostic.get(bufnr) == 0
  end)
  out.fixed = buffer_text(bufnr)

  -- Hover on the dense of `|> dense(width, relu)`.
  local hover = request(bufnr, 'textDocument/hover', position_of(bufnr, 'dense(width', 1))
  out.hover = hover and hover.contents and hover.contents.value

  -- Completion at the start of a pipeline stage.
  local completion = request(bufnr, 'textDocument/completion', position_of(bufnr, 'dropout(0.2)'))
  out.completion = {}
  for _, item in ipairs(completion.items or completion) do
    table.insert(out.completion, item.label)
  end

  -- Rename through the user command's function (prepareRename, then rename, then the edit applied).
  vim.api.nvim_win_set_cursor(0, { position_of(bufnr, 'logits =').position.line + 1, 2 })
  vim.lsp.buf.rename('scores')
  wait_for('the rename', function()
    return not buffer_text(bufnr):find('logits', 1, true)
  end)
  out.renamed = buffer_text(bufnr)

  -- Formatting with Neovim's default indentation (tabs, 8 columns): the server answers canonically.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for i, line in ipairs(lines) do
    lines[i] = line:gsub('^    ', '\t'):gsub('^  (%a)', '   %1')
  end
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  vim.bo[bufnr].expandtab = false
  vim.bo[bufnr].tabstop = 8
  vim.bo[bufnr].shiftwidth = 8
  out.unformatted = buffer_text(bufnr)
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ bufnr = bufnr, timeout_ms = TIMEOUT })
  else
    vim.lsp.buf.formatting_sync(nil, TIMEOUT)
  end
  out.formatted = buffer_text(bufnr)
end

local ok, err = pcall(run)
if not ok then
  out.error = tostring(err)
end
local file = assert(io.open(os.getenv('NNET_RESULT'), 'w'))
file:write(vim.fn.json_encode(out))
file:close()
vim.cmd('qa!')
