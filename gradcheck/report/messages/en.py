"""English messages."""

MESSAGES = {
    # headings and labels
    "label.pass": "PASS",
    "label.fail": "FAIL",
    "label.checked_full": "checked all {n} elements",
    "label.checked_fast": "fast: {n} checks by random projections u.J.v and sampled elements",
    "label.checked_truth_table": "checked all {n} rows of the truth table",
    "label.worst": "worst at {where}: expected {expected:.10g}, got {got:.10g} (relative error {rel:.3g}, tolerance {tol:.3g})",
    "label.worst_kink": "worst at {where}: sits on a kink, any value in [{lower:.6g}, {upper:.6g}] is accepted; got {got:.10g}",
    "label.kinks": "on a kink (no derivative exists there): {n} element(s), checked against the one-sided range instead",
    "label.likely": "likely mistake: {text}",
    "label.seed": "seed {seed}, mode {mode}",
    "label.summary": "{passed} of {total} targets passed",
    "label.output": "your code printed:",
    # gradients that cannot be compared
    "grad.none": "{name} is missing: backward returned None or never set it. Return (or store) the gradient array.",
    "grad.not_numeric": "{name} is not numeric (its type is {type}). Return a NumPy array of floats.",
    "grad.not_finite": "{name} contains {count} NaN or infinite value(s). Look for a division by zero or a log of 0.",
    "grad.was_list": "{name} was returned as a list, not a NumPy array, so the next layer cannot use it; return np.array(...). (Its values were still checked.)",
    "grad.low_precision": "{name} is {dtype}; gradcheck compares in float64, and {dtype} rounding alone can exceed the tolerance. Compute the gradient in float64.",
    "grad.shape": "{name} has shape {got}, but the array it belongs to has shape {want}. The gradient must have the same shape as its array.",
    "grad.shape_batch": "{name} has shape {got}, one row per example, but {want} is expected: sum it over the batch axis (np.sum(..., axis=0)).",
    "grad.shape_transposed": "{name} has shape {got}, the transpose of the expected {want}: check the order of the matrix product (for Affine, dW = x.T @ dout).",
    # likely mistakes
    "diag.factor_sign": "the sign is flipped (every element is -1 times the right value)",
    "diag.factor_two": "every element is twice the right value (a factor of 2, e.g. from the derivative of a square, counted twice)",
    "diag.factor_half": "every element is half the right value (a missing factor of 2 from the derivative of a square)",
    "diag.factor_batch": "every element is {n} times the right value: the division by the batch size N = {n} is missing",
    "diag.factor_inverse_batch": "every element is 1/{n} of the right value: divided by the batch size N = {n} once too often",
    "diag.factor": "every element is {factor} times the right value (a constant factor)",
    "diag.zero": "the gradient is all zeros: backward may not compute or store it",
    "diag.transposed": "the gradient looks transposed (it equals the transpose of the right one)",
    "diag.leak": "gradient reaches {count} element(s) that do not affect the output (e.g. a ReLU mask not applied, or a max-pool sending gradient to every cell of its window)",
    "diag.one_row": "only row {row} is wrong",
    "diag.one_column": "only column {column} is wrong",
    "diag.x_for_y": "the derivative uses the input x where the forward output y was meant (it should be {formula})",
    "diag.pool_every_cell": "gradient is sent to every cell of a pooling window; only the maximum's cell should get it",
    # the target as a whole
    "target.raised": "your {where} raised {error}",
    "target.no_gradients": "nothing to check: backward returned no gradient and the layer has no parameter P with a gradient dP",
    "precision.input": "input {index} is {dtype}; it was converted to float64 for checking",
    "precision.parameter": "parameter {name} is {dtype}; it was converted to float64 for checking",
    "precision.output": "forward computes in {dtype}, not float64; tolerances were widened to {dtype} rounding, so small errors can hide. Use float64.",
    "inplace.input": "forward modifies its input array in place; the check gave it copies, but callers of your layer will see their data change",
    "inplace.dout": "backward modifies dout in place; the layer before it in a network would receive a corrupted gradient",
    "probe.random": "upstream gradient dout: standard normal, seed {seed}",
}

MESSAGES.update({
    "parse.not_text": "not a mathematical expression: expected text, got a {type}.",
    "parse.too_long": "not checked: the expression is longer than {limit} characters; shorten it.",
    "parse.empty": "not a mathematical expression: the answer is empty; write an expression such as 2*x + 5.",
    "parse.character": "not a mathematical expression: the character '{char}' at position {position} is not allowed; use numbers, variables, + - * / ^ and parentheses.",
    "parse.two_numbers": "not a mathematical expression: two numbers in a row at position {position}; put an operator between them.",
    "parse.incomplete": "not a mathematical expression: it ends too early; check for a missing operand or closing parenthesis.",
    "parse.expected": "not a mathematical expression: expected '{want}' at position {position} but found '{got}'.",
    "parse.unexpected": "not a mathematical expression: unexpected '{token}' at position {position}.",
    "parse.unknown_name": "not a mathematical expression: '{name}' is not a known variable or constant.",
    "parse.arguments": "not a mathematical expression: {name}() does not take {count} argument(s).",
    "parse.too_deep": "too large to check: the expression is nested too deeply; simplify it.",
    "parse.too_large": "too large to check: a number or power in the expression is too big to compute; simplify it.",
    "parse.undefined": "not a mathematical expression: it is undefined (a division by zero); check the denominators.",
    "parse.unbalanced": "not a mathematical expression: a brace is not closed near '{text}'.",
    "parse.latex": "not a mathematical expression: the LaTeX could not be read ({detail}); use plain notation such as 3*y^2.",
    "parse.circular": "the definitions are circular ({cycle}); each intermediate variable must be defined by the others without loops.",
    "parse.bad_where": "could not read the definition '{text}': write it as NAME=EXPRESSION, for example y=x^2+1.",
    "symbolic.timeout": "could not decide in time: the symbolic work took longer than {seconds} s.",
    "symbolic.memory": "too large to check: the symbolic work needed more memory than allowed.",
    "equiv.equal": "equivalent to the expected answer.",
    "equiv.equal_numeric": "equivalent to the expected answer (agrees at {points} random points to 30 digits; SymPy found no symbolic proof).",
    "equiv.equal_rounded": "accepted: {answer} is the expected value {expected} rounded to the digits you wrote.",
    "equiv.differs": "differs from the expected answer, e.g. at {point}: yours {got}, expected {want}",
    "equiv.differs_number": "differs from the expected answer: yours {got}, expected {want}",
    "equiv.factor": "(yours is {factor} times the expected value everywhere)",
    "equiv.offset": "(yours differs by the constant {offset} everywhere)",
    "equiv.extra_variable": "It uses {names}, which the question does not define; write the answer in {known}.",
    "equiv.undecided": "could not decide: {reason}",
    "equiv.undefined_everywhere": "neither expression could be evaluated at the sample points",
})

MESSAGES.update({
    "fault.error": "your {where} raised {detail}",
    "fault.timeout": "your {where} did not finish within {detail} s (an infinite loop?); it was stopped",
    "fault.crash": "the process crashed ({detail}) while running your {where}",
    "fault.exit": "your code ended the process during {where} (exit status {detail}); do not call exit() in a layer",
    "fault.syntax": "{where}: syntax error at {detail}; fix it and run again",
    "fault.load": "{where} raised an error while being loaded: {detail}",
})

MESSAGES.update({
    "forward.shape": "forward returned shape {got}, but the reference layer returns {want}",
    "forward.not_finite": "forward returned {count} NaN or infinite value(s)",
    "forward.differs": "forward does not match the reference layer, so the backward checks above test the wrong function; fix forward first",
    "diag.overflow": "exp overflows for large logits: subtract the row maximum before exp (softmax(x) = softmax(x - max(x)))",
    "label.checked_reference": "forward compared with the reference layer on {n} elements",
    "label.checked_symbolic": "compared with the exact symbolic derivative on {n} elements",
    "label.checked_trajectory": "compared with the reference over {n} steps",
})

MESSAGES.update({
    "label.checked_points": "compared with finite differences of the function at {n} points",
    "label.checked_symbolic_points": "compared with SymPy's exact derivative at {n} points",
    "trace.not_traceable": "the function could not be traced symbolically ({reason}); it was checked against finite differences only",
})

MESSAGES.update({
    "file.missing": "{path}: no such file; check the path.",
    "file.directory": "{path} is a folder; give the Python file inside it.",
    "file.unreadable": "{path} could not be read ({error}).",
    "file.encoding": "{path} is not UTF-8 text (byte {position}); save it as UTF-8.",
    "file.empty": "{path} is empty; write your layer or function in it first.",
    "file.notebook": "{path} is not a readable notebook (.ipynb JSON); export it as a .py file or re-save it.",
    "file.nothing": "{path} defines nothing gradcheck can check: no DLFS layer class (e.g. Affine), no class with forward/backward and a constructor without arguments, no cs231n *_forward/*_backward pair, no optimizer, and no function f with df_dx or grad_f. Rename yours, or name it with --target.",
    "label.file": "== {path}",
    "label.files_summary": "{passed} of {total} checks passed in {files} file(s)",
})

MESSAGES.update({
    "note.intended_loss": "backward was compared with finite differences of the reference loss; a small constant such as the book's 1e-7 inside the log is accepted in your forward",
})

MESSAGES.update({
    "optim.matches": "matches {label}",
    "optim.differs_from": "does not follow {labels}",
    "optim.first_step": "departs from the reference first at step {step}, in parameter {key}",
    "mistake.sign": "the update has the wrong sign: parameters move up the gradient instead of down",
    "mistake.no_momentum": "the velocity is never used: this is plain SGD, not momentum",
    "mistake.nesterov_as_momentum": "Nesterov was implemented as plain momentum (the look-ahead term is missing)",
    "mistake.overwrite": "the accumulator is overwritten each step instead of accumulated (h = ... instead of h += ...)",
    "mistake.no_sqrt": "the square root of the accumulated squares is missing in the denominator",
    "mistake.no_bias_correction": "no bias correction: m and v start at zero, so early steps need lr * sqrt(1 - beta2^t) / (1 - beta1^t)",
    "mistake.t_not_incremented": "the step count t is not incremented, so the bias correction stays at its first-step value",
    "mistake.shared_state": "one state (velocity or accumulator) is shared between all parameters; keep one per parameter key",
    "mistake.not_in_place": "params were replaced (params[key] = ...) instead of modified in place (params[key] -= ...); the layers holding the old arrays never see the update",
})

MESSAGES.update({
    "descent.variable": "the cost must have exactly one variable to descend in (found: {names}); name it with --var.",
    "descent.header": "gradient descent on E({var}) with learning rate {lr}: dE/d{var} = {derivative}",
    "descent.row": "step {step:>5}: {var} = {value:.10g}   E = {cost:.10g}",
    "descent.converged": "converged to {var} = {value:.10g} after {steps} steps",
    "descent.not_converged": "did not converge in {steps} steps (last {var} = {value:.10g}); try a smaller learning rate",
})

MESSAGES.update({
    "grade.no_file": "no submission found at {path}: give the file, or a folder holding {name}.",
    "grade.bad_answers": "{path} is not a readable answers file ({error}); write one line per question, such as q1 = \"2x + 5\".",
    "grade.no_answer": "no answer for {id}.",
    "grade.answer_type": "the answer to {id} must be text or a number, such as \"2x + 5\" or 14.39.",
    "grade.not_found": "nothing named {names} was found in the submission.",
    "grade.passed": "passed",
    "grade.hidden_passed": "hidden test: passed",
    "grade.hidden_failed": "hidden test: failed",
    "grade.gate_row": "{name}({a}, {b}) returned {got}; the truth table says {want}.",
    "grade.value_wrong": "{name}({args}) returned {got}; expected {want}.",
    "grade.numgrad_type": "{name} did not return an array of numbers.",
    "grade.numgrad_shape": "the gradient has shape {got}, but x has shape {want}.",
    "grade.numgrad_restore": "x was not restored after the perturbations: put back the original value after computing f(x+h) and f(x-h).",
    "grade.numgrad_forward": "the gradient of {f} is off by {err} (relative): that is the error of a one-sided difference; use (f(x+h) - f(x-h)) / (2h).",
    "grade.numgrad_wrong": "the gradient of {f} is wrong (relative error {err}).",
    "grade.summary": "{submission}: {score:g} / {max_score:g}",
    "grade.gradescope_one": "--format gradescope writes one results.json for one submission; give exactly one.",
    "grade.shard": "--shard must be K/N with 1 <= K <= N, for example 2/4.",
    "grade.no_submissions": "no submissions matched {patterns}.",
    "bank.missing_field": "{path} has no '{field}'; add it.",
    "bank.no_toml": "{path} has no exercise.toml.",
    "bank.bad_toml": "{path} is not valid TOML: {error}",
    "bank.bad_kind": "{path}: kind must be 'answers' or 'code', not '{kind}'.",
    "bank.bad_check": "{path}: check '{name}' has an unknown kind '{kind}' (gradient, gate, values or numerical_gradient).",
    "bank.empty": "{path} has no questions (answers) or checks (code) to grade.",
    "bank.duplicate": "{path} names two questions or checks the same; make them unique.",
    "bank.unknown": "no exercise '{id}'; the exercises are: {known}.",
    "bank.init_exists": "{path} already exists; choose another folder or remove it first.",
    "bank.check_ok": "{id}: the solution scores {score:g} / {max_score:g} and every self-test scores as declared.",
    "bank.check_solution": "{id}: the solution scores {score:g}, not the full {max_score:g}.",
    "bank.check_selftest": "{id}: {file} scores {score:g}, but exercise.toml says {want:g}.",
})

MESSAGES.update({
    "init.next": "Write your code in {path}, then run: gradcheck grade {id} {path}",
})

MESSAGES.update({
    "shrink.smallest": "smallest input that shows it: {case}",
})

MESSAGES.update({
    "bank.check_mutation": "{id}: a self-test cannot be built: {error}; fix its replace = [old, new].",
})

MESSAGES.update({
    "case.batch_2d": "batch of 4, 2-D input",
    "case.large_logits": "logits near 1000",
    "case.one_hot": "one-hot labels",
    "case.conv_plain": "stride 1, no padding, 2 channels",
    "case.pool_padded": "2x2 windows, stride 2, padding 1",
    "case.image": "image input (N, C, H, W)",
    "case.inference": "inference mode",
})

MESSAGES.update({
    "descent.no_matplotlib": "--plot needs matplotlib: pip install 'gradcheck[plot]'.",
})

# real code: loading, conventions, networks
MESSAGES.update({
    "fault.missing_module": "{where} imports {module}, which is not installed here: install it (pip install {package}) and run again. This is not a bug in your gradients.",
    "fault.extension_missing": "{where} imports {module}, a compiled extension that has not been built: build it in its folder (python setup.py build_ext --inplace) or use the pure-Python version.",
    "fault.numpy2": "your {where} raised {detail}: code written for NumPy 1.x that NumPy 2 refuses; fix: {fix}",
    "file.target_missing": "{path} defines nothing named {names} that gradcheck can check; --target takes a name from your file (a class, a function such as batchnorm_forward) or a target id shown in the report.",
    "label.skipped": "not checked ({n}):",
    "skip.shape_unknown": "{name}: the shape of its argument {arg} is unknown (its docstring gives none and the name is not a usual one); give it with --shape {arg}=N,D",
    "skip.no_backward": "{name}: there is no {backward} beside it, so there is no gradient to check",
    "skip.init_unknown": "{name}: its constructor needs {arg}, which gradcheck cannot choose; give it with --init {arg}=VALUE",
    "skip.init_not_book": "{name}: it is built as {got}, not as the book's {want}; gradcheck builds the book's signature, so give your constructor's arguments with --init NAME=VALUE (and the input with --shape x=N,D) to check it as written",
    "skip.abstract": "{name}: a base class whose forward/backward are placeholders (pass or NotImplementedError); its subclasses are checked instead",
    "skip.init_needed": "{name}: its constructor needs {args}; give them with --init NAME=VALUE to check it",
    "skip.unrecognised": "{name}: looks like a layer but follows no convention gradcheck knows; see the README's conventions, or use --init/--shape",
    "skip.not_convention": "{name}: not checked, since it does not follow the convention it looked like: {reason}",
    "case.params": "{params}",
    "network.rtol": "network gradients pass at a relative error up to {rtol:g}: a loss may differ from what its backward differentiates by a small constant (the book's cross-entropy adds 1e-7 inside the log); real mistakes are far above it",
    "network.owner": "params['{key}'] is the array {owner}: open that layer's backward",
    "note.two_d_only": "{name} handles 2-D input only (it raised on (N, C, H) input); the book's Affine flattens any input to (N, -1) from chapter 7 on, which convolutional networks need",
    "note.case_unsupported": "{name} raised on the padded case; the book's own {name} leaves the padding out of its output size too, so this is a note, not a failure",
    "diag.ties_jointly": "{count} elements sit on ties or kinks; each alone is within its one-sided range, but moved together they change the output by less than your gradient claims: a tie (equal values in a pooling window) must send the gradient to one cell, not to every tied cell",
    "optim.config_key": "your code looks up config['{key}'], which cs231n's code never passes: its key is '{name}' (so your default was used instead of the value given)",
    "optim.lists": "takes params and grads as lists (the second book's style); checked that way",
    "file.not_regular": "{path} is not a regular file (a device, a pipe or a special file); give the .py or .ipynb file itself.",
    "file.too_large": "{path} is larger than {mb} MB; a layer or notebook file is far smaller, so check that this is the right file.",
    "refused.symlink": "{path} is a symbolic link, so it is not graded: a submission is plain files in its own folder.",
    "refused.special": "{path} is not a regular file, so it is not graded: a submission is plain files in its own folder.",
    "refused.too_large": "{path}: the submission holds more than {mb} MB, so it is not graded.",
    "refused.unreadable": "{path} could not be copied for grading ({error}).",
    "fault.forbidden": "your {where} tried to open {path}, which is not yours: submissions may read only their own files (and write only in their private folder)",
    "grade.unconfined": "this kernel has no Landlock (Linux 5.13+), so a submission could read the answer key or other students' files; grade inside a container, or pass --unconfined to grade anyway.",
    "label.unconfined": "note: the code ran without filesystem confinement here (isolation: {isolation}); it could read and write your files",
    "diag.loss_summed": "your loss is the sum over the batch, N = {n} times the mean the convention asks for; your gradient is right for the mean: divide the loss by N (do not change the gradient)",
    "mistake.never_changed": "the parameters never changed: update must change the arrays it is given (params[key] -= ...); rebinding params to a new dict, or computing new arrays without storing them, leaves the caller's parameters as they were",
    "diag.swapped": "{a} and {b} are swapped: each holds the other's right values (for MulLayer, dx = dout * y and dy = dout * x)",
    "label.also_fails": "the same failure also in: {cases} (--verbose shows each)",
    "derive.chain_rule": "chain rule: {formula}",
    "derive.base_variables": "in the base variables: {value}",
    "mode.full": "full", "mode.fast": "fast", "mode.auto": "auto", "mode.trajectory": "trajectory", "mode.points": "points",
    "label.same_numbers": "the same wrong values as above",
    "grad.shape_wrong_axis": "{name} has shape {got}, one value per example (N = {n}), but {want} is expected: it was summed over the wrong axis; sum over the batch axis (np.sum(dout, axis=0))",
    "mistake.softmax_no_t": "dx is the softmax output y / N: the '- t' is missing (dx = (y - t) / N)",
    "mistake.bn_var_no_two": "the variance branch lacks its factor 2: d var / d xc = 2 xc / N",
    "mistake.bn_no_mean": "the mean branch is missing: subtract the mean of dxc over the batch (dx = dxc - sum(dxc) / N)",
    "mistake.bn_dgamma_xc": "dgamma uses the centred input xc; it should use the normalised xn = xc / std (dgamma = sum(dout * xn))",
    "mistake.conv_flipped_kernel": "dx uses the kernel flipped (rotated 180 degrees); the forward is a cross-correlation, so dx spreads dout back through W as it is",
    "mistake.conv_dw_no_transpose": "dW is reshaped from im2col order without the transpose: dW = (col.T @ dout).T.reshape(FN, C, FH, FW), or dW.transpose(1, 0) before the reshape",
    "mistake.conv_db_per_channel": "db is added once per input channel (C times too much): db = sum of dout over N, H and W only",
    "mistake.conv_crop": "dx is cut from the corner of the padded image; take the inside, img[:, :, pad:pad + H, pad:pad + W]",
    "mistake.pool_overwrite": "where pooling windows overlap, the gradient is assigned instead of added: a cell that is the maximum of two windows must get both (dx[...] += dout)",
    "mistake.t_from_two": "t starts at 1 and is incremented before its first use, so the first step already uses t = 2: start it at 0",
    "mistake.t_per_key": "t is incremented once per parameter key instead of once per update: increment it once, before the loop over params",
    "mistake.moments_stored": "the bias-corrected moments are written back into m and v; keep m and v uncorrected and correct only the copies used in the step",
    "mistake.rho_swapped": "the decay weights are swapped: h = rho * h + (1 - rho) * g^2, not (1 - rho) * h + rho * g^2",
    "grad.shape_keepdims": "{name} has shape {got} where {want} is expected: the values are right, but an extra axis of length 1 remains (np.sum(..., keepdims=True)?); drop it (np.sum(dout, axis=0)) or the parameter changes shape on the first update",
    "mistake.nesterov_prefix": "this is the book's Nesterov before its January 2021 fix (the velocity updated before it is used in the parameter step); update the parameters with the old velocity first, then the velocity",
})
