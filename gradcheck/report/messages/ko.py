"""한국어 메시지 (Korean messages)."""

MESSAGES = {
    "label.pass": "통과",
    "label.fail": "실패",
    "label.checked_full": "원소 {n}개를 모두 확인했습니다",
    "label.checked_fast": "빠른 확인: 무작위 사영 u.J.v와 표본 원소로 {n}번 확인했습니다",
    "label.checked_truth_table": "진리표의 {n}행을 모두 확인했습니다",
    "label.worst": "가장 크게 어긋난 곳 {where}: 기대값 {expected:.10g}, 계산값 {got:.10g} (상대 오차 {rel:.3g}, 허용 오차 {tol:.3g})",
    "label.worst_kink": "가장 크게 어긋난 곳 {where}: 꺾이는 점 위에 있어 [{lower:.6g}, {upper:.6g}] 사이의 값이면 인정합니다. 계산값 {got:.10g}",
    "label.kinks": "원소 {n}개가 꺾이는 점(미분이 존재하지 않는 곳)에 있어, 좌우 한쪽 미분값의 범위로 대신 확인했습니다",
    "label.likely": "예상되는 실수: {text}",
    "label.seed": "시드 {seed}, 모드 {mode}",
    "label.summary": "대상 {total}개 중 {passed}개 통과",
    "label.output": "여러분의 코드가 출력한 내용:",
    "grad.none": "{name}이(가) 없습니다. backward가 None을 반환했거나 값을 저장하지 않았습니다. 기울기 배열을 반환(또는 저장)하세요.",
    "grad.not_numeric": "{name}이(가) 숫자가 아닙니다({type}). 실수로 된 NumPy 배열을 반환하세요.",
    "grad.not_finite": "{name}에 NaN이나 무한대 값이 {count}개 있습니다. 0으로 나누거나 log(0)을 계산하는 곳이 없는지 살펴보세요.",
    "grad.was_list": "{name}이(가) NumPy 배열이 아닌 리스트로 반환되어 다음 계층이 쓸 수 없습니다. np.array(...)로 반환하세요(값 자체도 확인했습니다).",
    "grad.low_precision": "{name}이(가) {dtype}입니다. gradcheck는 float64로 비교하므로 {dtype}의 반올림 오차만으로도 허용 오차를 넘을 수 있습니다. 기울기를 float64로 계산하세요.",
    "grad.shape": "{name}의 형상이 {got}인데, 대응하는 배열의 형상은 {want}입니다. 기울기는 원래 배열과 형상이 같아야 합니다.",
    "grad.shape_batch": "{name}의 형상은 {got}입니다. 샘플마다 한 행씩 있는데, 기대하는 형상은 {want}입니다. 배치 축으로 합하세요(np.sum(..., axis=0)).",
    "grad.shape_transposed": "{name}의 형상 {got}이(가) 기대한 {want}의 전치입니다. 행렬 곱의 순서를 확인하세요(Affine이라면 dW = x.T @ dout).",
    "diag.factor_sign": "부호가 반대입니다(모든 원소가 올바른 값의 -1배).",
    "diag.factor_two": "모든 원소가 올바른 값의 2배입니다(제곱의 미분에서 나온 2를 두 번 곱했을 수 있습니다).",
    "diag.factor_half": "모든 원소가 올바른 값의 절반입니다(제곱의 미분에서 나오는 2가 빠졌습니다).",
    "diag.factor_batch": "모든 원소가 올바른 값의 {n}배입니다. 배치 크기 N = {n}(으)로 나누는 부분이 빠졌습니다.",
    "diag.factor_inverse_batch": "모든 원소가 올바른 값의 1/{n}입니다. 배치 크기 N = {n}(으)로 한 번 더 나눴습니다.",
    "diag.factor": "모든 원소가 올바른 값의 {factor}배입니다(상수배 차이).",
    "diag.zero": "기울기가 모두 0입니다. backward에서 계산하거나 저장하지 않았을 수 있습니다.",
    "diag.transposed": "기울기가 전치된 것으로 보입니다(올바른 값의 전치와 같습니다).",
    "diag.leak": "출력에 영향을 주지 않는 원소 {count}개에 기울기가 흘러갔습니다(ReLU 마스크를 적용하지 않았거나, 최대 풀링이 윈도의 모든 칸에 기울기를 보냈을 수 있습니다).",
    "diag.one_row": "{row}번 행만 틀렸습니다.",
    "diag.one_column": "{column}번 열만 틀렸습니다.",
    "diag.x_for_y": "순전파 출력 y를 써야 할 곳에 입력 x를 썼습니다(올바른 식: {formula}).",
    "diag.pool_every_cell": "풀링 윈도의 모든 칸에 기울기를 보냈습니다. 최댓값이 있던 칸에만 보내야 합니다.",
    "target.raised": "{where}에서 예외가 발생했습니다: {error}",
    "target.no_gradients": "확인할 것이 없습니다. backward가 기울기를 반환하지 않았고, 기울기 dP를 가진 매개변수 P도 없습니다.",
    "precision.input": "{index}번 입력이 {dtype}이어서 확인을 위해 float64로 변환했습니다.",
    "precision.parameter": "매개변수 {name}이(가) {dtype}이어서 확인을 위해 float64로 변환했습니다.",
    "precision.output": "순전파가 float64가 아닌 {dtype}(으)로 계산합니다. 허용 오차를 {dtype}의 반올림 오차에 맞춰 넓혔기 때문에 작은 오류는 드러나지 않을 수 있습니다. float64를 쓰세요.",
    "inplace.input": "순전파가 입력 배열을 제자리에서 바꿉니다. 확인할 때는 복사본을 넘겼지만, 실제로 이 계층을 쓰는 쪽의 데이터가 바뀌게 됩니다.",
    "inplace.dout": "역전파가 dout을 제자리에서 바꿉니다. 신경망에서 앞 계층이 망가진 기울기를 받게 됩니다.",
    "probe.random": "상류 기울기 dout: 표준 정규분포, 시드 {seed}",
}

MESSAGES.update({
    "parse.not_text": "수식이 아닙니다: 문자열이어야 하는데 {type}을(를) 받았습니다.",
    "parse.too_long": "확인하지 않았습니다: 수식이 {limit}자보다 깁니다. 더 짧게 써 주세요.",
    "parse.empty": "수식이 아닙니다: 답이 비어 있습니다. 2*x + 5처럼 수식을 적어 주세요.",
    "parse.character": "수식이 아닙니다: {position}번째 글자 '{char}'은(는) 쓸 수 없습니다. 숫자, 변수, + - * / ^, 괄호를 쓰세요.",
    "parse.two_numbers": "수식이 아닙니다: {position}번째 위치에 숫자가 연달아 나옵니다. 사이에 연산자를 넣으세요.",
    "parse.incomplete": "수식이 아닙니다: 수식이 중간에 끝났습니다. 빠진 항이나 닫는 괄호가 없는지 확인하세요.",
    "parse.expected": "수식이 아닙니다: {position}번째 위치에 '{want}'이(가) 와야 하는데 '{got}'이(가) 있습니다.",
    "parse.unexpected": "수식이 아닙니다: {position}번째 위치의 '{token}'을(를) 예상하지 못했습니다.",
    "parse.unknown_name": "수식이 아닙니다: '{name}'은(는) 알려진 변수나 상수가 아닙니다.",
    "parse.arguments": "수식이 아닙니다: {name}()에는 인자 {count}개를 넣을 수 없습니다.",
    "parse.too_deep": "확인하기에 너무 큽니다: 수식이 너무 깊게 중첩되어 있습니다. 간단히 정리해 주세요.",
    "parse.too_large": "확인하기에 너무 큽니다: 수식 속 수나 거듭제곱이 너무 커서 계산할 수 없습니다. 간단히 정리해 주세요.",
    "parse.undefined": "수식이 아닙니다: 0으로 나누는 부분이 있어 값이 정의되지 않습니다. 분모를 확인하세요.",
    "parse.unbalanced": "수식이 아닙니다: '{text}' 근처의 중괄호가 닫히지 않았습니다.",
    "parse.latex": "수식이 아닙니다: LaTeX를 읽을 수 없습니다({detail}). 3*y^2처럼 일반 표기로 써 주세요.",
    "parse.circular": "정의가 순환합니다({cycle}). 중간 변수는 순환 없이 다른 변수로 정의해야 합니다.",
    "parse.bad_where": "정의 '{text}'을(를) 읽을 수 없습니다. y=x^2+1처럼 이름=수식 꼴로 쓰세요.",
    "symbolic.timeout": "시간 안에 판단하지 못했습니다: 기호 계산이 {seconds}초보다 오래 걸렸습니다.",
    "symbolic.memory": "확인하기에 너무 큽니다: 기호 계산에 허용된 것보다 많은 메모리가 필요했습니다.",
    "equiv.equal": "기대한 답과 같습니다.",
    "equiv.equal_numeric": "기대한 답과 같습니다(무작위로 고른 {points}개 점에서 30자리까지 일치합니다. 다만 SymPy가 기호적 증명은 찾지 못했습니다).",
    "equiv.equal_rounded": "정답으로 인정합니다: {answer}은(는) 기대값 {expected}을(를) 적은 자릿수까지 반올림한 값입니다.",
    "equiv.differs": "기대한 답과 다릅니다. 예를 들어 {point}에서 여러분의 답은 {got}, 기대값은 {want}입니다",
    "equiv.differs_number": "기대한 답과 다릅니다: 여러분의 답은 {got}, 기대값은 {want}입니다",
    "equiv.factor": "(어디서나 기대값의 {factor}배입니다)",
    "equiv.offset": "(어디서나 상수 {offset}만큼 차이 납니다)",
    "equiv.extra_variable": "문제에서 정의하지 않은 {names}을(를) 썼습니다. 답을 {known}(으)로 나타내세요.",
    "equiv.undecided": "판단하지 못했습니다: {reason}",
    "equiv.undefined_everywhere": "표본으로 고른 점에서 두 수식 모두 값을 계산할 수 없었습니다",
})

MESSAGES.update({
    "fault.error": "{where}에서 예외가 발생했습니다: {detail}",
    "fault.timeout": "{where}이(가) {detail}초 안에 끝나지 않아 중단했습니다(무한 루프가 아닌지 확인하세요)",
    "fault.crash": "{where}을(를) 실행하는 중에 프로세스가 비정상 종료되었습니다({detail})",
    "fault.exit": "{where} 중에 코드가 프로세스를 종료했습니다(종료 코드 {detail}). 계층 안에서 exit()를 호출하지 마세요",
    "fault.syntax": "{where}: 문법 오류가 있습니다({detail}). 고친 뒤 다시 실행하세요",
    "fault.load": "{where}을(를) 불러오는 중에 오류가 발생했습니다: {detail}",
})

MESSAGES.update({
    "forward.shape": "순전파 결과의 형상이 {got}인데, 기준 계층은 {want}을(를) 반환합니다",
    "forward.not_finite": "순전파 결과에 NaN이나 무한대 값이 {count}개 있습니다",
    "forward.differs": "순전파가 기준 계층과 다릅니다. 그러면 위의 역전파 확인은 엉뚱한 함수를 검사한 셈이니, 순전파부터 고치세요",
    "diag.overflow": "로짓이 크면 exp가 넘칩니다(overflow). exp를 계산하기 전에 각 행의 최댓값을 빼세요(softmax(x) = softmax(x - max(x)))",
    "label.checked_reference": "원소 {n}개에서 순전파를 기준 계층과 비교했습니다",
    "label.checked_symbolic": "원소 {n}개에서 정확한 기호 미분값과 비교했습니다",
    "label.checked_trajectory": "{n}단계 동안 기준 구현과 비교했습니다",
})

MESSAGES.update({
    "label.checked_points": "{n}개 점에서 함수의 수치 미분과 비교했습니다",
    "label.checked_symbolic_points": "{n}개 점에서 SymPy의 정확한 도함수와 비교했습니다",
    "trace.not_traceable": "함수를 기호적으로 따라갈 수 없어({reason}) 수치 미분과만 비교했습니다",
})

MESSAGES.update({
    "file.missing": "{path}: 그런 파일이 없습니다. 경로를 확인하세요.",
    "file.directory": "{path}은(는) 폴더입니다. 그 안의 파이썬 파일을 지정하세요.",
    "file.unreadable": "{path}을(를) 읽을 수 없습니다({error}).",
    "file.encoding": "{path}은(는) UTF-8 텍스트가 아닙니다({position}번째 바이트). UTF-8로 저장하세요.",
    "file.empty": "{path}이(가) 비어 있습니다. 먼저 계층이나 함수를 작성하세요.",
    "file.notebook": "{path}을(를) 노트북(.ipynb JSON)으로 읽을 수 없습니다. .py 파일로 내보내거나 다시 저장하세요.",
    "file.nothing": "{path}에는 gradcheck가 확인할 수 있는 것이 없습니다. DLFS 계층 클래스(예: Affine), 인자 없이 만들 수 있고 forward/backward가 있는 클래스, cs231n의 *_forward/*_backward 함수 쌍, 옵티마이저, df_dx나 grad_f가 딸린 함수 f 중 하나가 있어야 합니다. 이름을 바꾸거나 --target으로 지정하세요.",
    "label.file": "== {path}",
    "label.files_summary": "파일 {files}개에서 확인 {total}개 중 {passed}개 통과",
})

MESSAGES.update({
    "note.intended_loss": "역전파는 기준 손실 함수의 수치 미분과 비교했습니다. 책처럼 log 안에 1e-7 같은 작은 상수를 더한 순전파도 인정합니다",
})

MESSAGES.update({
    "optim.matches": "{label}와(과) 일치합니다",
    "optim.differs_from": "{labels}와(과)는 다릅니다",
    "optim.first_step": "{step}번째 단계의 매개변수 {key}에서 처음으로 기준 구현과 달라집니다",
    "mistake.sign": "갱신 방향의 부호가 반대입니다. 매개변수가 기울기를 따라 내려가지 않고 올라갑니다",
    "mistake.no_momentum": "속도(v)를 쓰지 않아 모멘텀이 아닌 그냥 SGD가 되었습니다",
    "mistake.nesterov_as_momentum": "Nesterov를 일반 모멘텀으로 구현했습니다(앞을 내다보는 항이 빠졌습니다)",
    "mistake.overwrite": "누적값을 더하지 않고 매 단계 덮어씁니다(h += ... 대신 h = ...)",
    "mistake.no_sqrt": "분모에서 누적 제곱합의 제곱근이 빠졌습니다",
    "mistake.no_bias_correction": "편향 보정이 없습니다. m과 v가 0에서 시작하므로 초반에는 lr * sqrt(1 - beta2^t) / (1 - beta1^t)가 필요합니다",
    "mistake.t_not_incremented": "단계 수 t를 늘리지 않아 편향 보정이 첫 단계 값에 머물러 있습니다",
    "mistake.shared_state": "모든 매개변수가 상태(속도나 누적값) 하나를 함께 씁니다. 매개변수 키마다 따로 두세요",
    "mistake.not_in_place": "params를 제자리에서 고치지(params[key] -= ...) 않고 새 배열로 바꿨습니다(params[key] = ...). 예전 배열을 쥔 계층은 갱신을 보지 못합니다",
})

MESSAGES.update({
    "descent.variable": "비용 함수에는 내려갈 변수가 정확히 하나 있어야 합니다(찾은 변수: {names}). --var로 지정하세요.",
    "descent.header": "학습률 {lr}(으)로 E({var})에 경사 하강법 적용: dE/d{var} = {derivative}",
    "descent.row": "{step:>5}단계: {var} = {value:.10g}   E = {cost:.10g}",
    "descent.converged": "{steps}단계 만에 {var} = {value:.10g}(으)로 수렴했습니다",
    "descent.not_converged": "{steps}단계 안에 수렴하지 않았습니다(마지막 {var} = {value:.10g}). 학습률을 줄여 보세요",
})

MESSAGES.update({
    "grade.no_file": "{path}에서 제출물을 찾지 못했습니다. 파일을 주거나 {name}이(가) 들어 있는 폴더를 주세요.",
    "grade.bad_answers": "{path}을(를) 답안 파일로 읽을 수 없습니다({error}). q1 = \"2x + 5\"처럼 문항마다 한 줄씩 쓰세요.",
    "grade.no_answer": "{id}에 대한 답이 없습니다.",
    "grade.answer_type": "{id}의 답은 \"2x + 5\"나 14.39처럼 문자열이나 숫자여야 합니다.",
    "grade.not_found": "제출물에서 {names}을(를) 찾지 못했습니다.",
    "grade.passed": "통과",
    "grade.hidden_passed": "숨겨진 테스트: 통과",
    "grade.hidden_failed": "숨겨진 테스트: 실패",
    "grade.gate_row": "{name}({a}, {b})이(가) {got}을(를) 반환했습니다. 진리표에 따르면 {want}이어야 합니다.",
    "grade.value_wrong": "{name}({args})이(가) {got}을(를) 반환했습니다. 기대값은 {want}입니다.",
    "grade.numgrad_type": "{name}이(가) 숫자 배열을 반환하지 않았습니다.",
    "grade.numgrad_shape": "기울기의 형상이 {got}인데 x의 형상은 {want}입니다.",
    "grade.numgrad_restore": "섭동 뒤에 x를 원래대로 돌려놓지 않았습니다. f(x+h)와 f(x-h)를 계산한 뒤 원래 값을 되돌려 놓으세요.",
    "grade.numgrad_forward": "{f}의 기울기가 상대 오차 {err}만큼 어긋납니다. 한쪽 차분의 오차 크기입니다. (f(x+h) - f(x-h)) / (2h)를 쓰세요.",
    "grade.numgrad_wrong": "{f}의 기울기가 틀렸습니다(상대 오차 {err}).",
    "grade.summary": "{submission}: {score:g} / {max_score:g}",
    "grade.gradescope_one": "--format gradescope는 제출물 하나에 대해 results.json 하나를 씁니다. 제출물을 정확히 하나만 주세요.",
    "grade.shard": "--shard는 1 <= K <= N인 K/N 꼴이어야 합니다(예: 2/4).",
    "grade.no_submissions": "{patterns}에 맞는 제출물이 없습니다.",
    "bank.missing_field": "{path}에 '{field}' 항목이 없습니다. 추가하세요.",
    "bank.no_toml": "{path}에 exercise.toml이 없습니다.",
    "bank.bad_toml": "{path}은(는) 올바른 TOML이 아닙니다: {error}",
    "bank.bad_kind": "{path}: kind는 'answers'나 'code'여야 합니다('{kind}'가 아니라).",
    "bank.bad_check": "{path}: 확인 항목 '{name}'의 종류 '{kind}'을(를) 알 수 없습니다(gradient, gate, values, numerical_gradient 중 하나).",
    "bank.empty": "{path}에 채점할 문항(answers)이나 확인 항목(code)이 없습니다.",
    "bank.duplicate": "{path}에 이름이 같은 문항이나 확인 항목이 있습니다. 서로 다르게 지으세요.",
    "bank.unknown": "'{id}'라는 연습 문제가 없습니다. 있는 문제: {known}.",
    "bank.init_exists": "{path}이(가) 이미 있습니다. 다른 폴더를 고르거나 먼저 지우세요.",
    "bank.check_ok": "{id}: 모범 답안이 {max_score:g}점 중 {score:g}점을 받고, 모든 자체 시험이 선언한 점수를 받습니다.",
    "bank.check_solution": "{id}: 모범 답안이 만점 {max_score:g}점이 아닌 {score:g}점을 받습니다.",
    "bank.check_selftest": "{id}: {file}이(가) {score:g}점을 받지만 exercise.toml에는 {want:g}점이라고 되어 있습니다.",
})

MESSAGES.update({
    "init.next": "{path}에 코드를 작성한 뒤 다음을 실행하세요: gradcheck grade {id} {path}",
})

MESSAGES.update({
    "shrink.smallest": "문제를 드러내는 가장 작은 입력: {case}",
})

MESSAGES.update({
    "bank.check_mutation": "{id}: 자체 시험을 만들 수 없습니다: {error}. replace = [old, new]를 고치세요.",
})

MESSAGES.update({
    "case.batch_2d": "배치 4, 2차원 입력",
    "case.large_logits": "1000 근처의 로짓",
    "case.one_hot": "원-핫 레이블",
    "case.conv_plain": "스트라이드 1, 패딩 없음, 채널 2개",
    "case.pool_padded": "2x2 윈도, 스트라이드 2, 패딩 1",
    "case.image": "이미지 입력 (N, C, H, W)",
    "case.inference": "추론 모드",
})

MESSAGES.update({
    "descent.no_matplotlib": "--plot에는 matplotlib가 필요합니다: pip install 'gradcheck[plot]'.",
})

# 실제 코드: 불러오기, 규약, 신경망
MESSAGES.update({
    "fault.missing_module": "{where}에서 가져오는 {module} 모듈이 설치되어 있지 않습니다. 설치한 뒤(pip install {package}) 다시 실행하세요. 기울기 코드의 버그가 아닙니다.",
    "fault.extension_missing": "{where}에서 가져오는 {module}은(는) 아직 빌드하지 않은 컴파일 확장 모듈입니다. 그 폴더에서 빌드하거나(python setup.py build_ext --inplace) 순수 파이썬 버전을 쓰세요.",
    "fault.numpy2": "{where}에서 {detail} 오류가 났습니다. NumPy 1.x용으로 쓴 코드를 NumPy 2가 거부한 것입니다. 고치는 법: {fix}",
    "file.target_missing": "{path}에는 gradcheck가 확인할 수 있는 {names}이라는 이름이 없습니다. --target에는 파일 안의 이름(클래스, batchnorm_forward 같은 함수)이나 보고서에 나온 대상 id를 주세요.",
    "label.skipped": "확인하지 않은 것 ({n}개):",
    "skip.shape_unknown": "{name}: 인자 {arg}의 형상을 알 수 없습니다(docstring에 없고 흔한 이름도 아닙니다). --shape {arg}=N,D로 알려 주세요",
    "skip.no_backward": "{name}: 짝이 되는 {backward}이(가) 없어서 확인할 기울기가 없습니다",
    "skip.init_unknown": "{name}: 생성자에 gradcheck가 정할 수 없는 인자 {arg}이(가) 필요합니다. --init {arg}=값으로 주세요",
    "skip.init_not_book": "{name}: 책의 {want}이(가) 아니라 {got}(으)로 만들어집니다. gradcheck는 책의 시그니처로 만드므로, 작성한 그대로 확인하려면 생성자 인자를 --init 이름=값으로(입력은 --shape x=N,D로) 주세요",
    "skip.abstract": "{name}: forward/backward가 자리만 잡아 둔(pass 또는 NotImplementedError) 기반 클래스입니다. 대신 하위 클래스를 확인합니다",
    "skip.init_needed": "{name}: 생성자에 {args} 인자가 필요합니다. 확인하려면 --init 이름=값으로 주세요",
    "skip.unrecognised": "{name}: 계층처럼 보이지만 gradcheck가 아는 규약을 따르지 않습니다. README의 규약 설명을 보거나 --init/--shape를 쓰세요",
    "skip.not_convention": "{name}: 보기와 달리 그 규약을 따르지 않아 확인하지 않았습니다: {reason}",
    "case.params": "{params}",
    "network.rtol": "신경망 기울기는 상대 오차 {rtol:g}까지 통과입니다. 손실이 backward가 미분하는 식과 작은 상수만큼 다를 수 있기 때문입니다(책의 교차 엔트로피는 log 안에 1e-7을 더합니다). 실제 실수는 이보다 훨씬 큽니다",
    "network.owner": "params['{key}']는 {owner} 배열입니다. 그 계층의 backward를 살펴보세요",
    "note.two_d_only": "{name}은(는) 2차원 입력만 처리합니다((N, C, H) 입력에서 오류가 났습니다). 책의 Affine은 7장부터 어떤 입력이든 (N, -1)로 펼치며, 합성곱 신경망에는 이것이 필요합니다",
    "note.case_unsupported": "{name}이(가) 패딩이 있는 경우에서 오류를 냈습니다. 책의 {name}도 출력 크기를 계산할 때 패딩을 빼므로 실패가 아니라 참고 사항입니다",
    "diag.ties_jointly": "{count}개 원소가 동점이나 꺾이는 점에 있습니다. 하나씩은 한쪽 미분 범위 안에 있지만, 함께 움직이면 출력이 기울기가 주장하는 것보다 덜 변합니다. 동점(풀링 창 안의 같은 값)에서는 동점인 모든 칸이 아니라 한 칸에만 기울기를 보내야 합니다",
    "optim.config_key": "코드가 config['{key}']를 찾지만 cs231n 코드는 그 키를 넘기지 않습니다. 키 이름은 '{name}'입니다(그래서 넘겨준 값 대신 기본값이 쓰였습니다)",
    "optim.lists": "params와 grads를 리스트로 받습니다(두 번째 책의 방식). 그 방식으로 확인했습니다",
    "file.not_regular": "{path}은(는) 일반 파일이 아닙니다(장치, 파이프 또는 특수 파일). .py나 .ipynb 파일 자체를 주세요.",
    "file.too_large": "{path}이(가) {mb} MB보다 큽니다. 계층이나 노트북 파일은 훨씬 작으니 맞는 파일인지 확인하세요.",
    "refused.symlink": "{path}은(는) 심볼릭 링크라서 채점하지 않습니다. 제출물은 자기 폴더 안의 일반 파일이어야 합니다.",
    "refused.special": "{path}은(는) 일반 파일이 아니라서 채점하지 않습니다. 제출물은 자기 폴더 안의 일반 파일이어야 합니다.",
    "refused.too_large": "{path}: 제출물이 {mb} MB를 넘어서 채점하지 않습니다.",
    "refused.unreadable": "{path}을(를) 채점용으로 복사하지 못했습니다({error}).",
    "fault.forbidden": "{where}이(가) 자기 것이 아닌 {path}을(를) 열려고 했습니다. 제출물은 자기 파일만 읽을 수 있고 자기 전용 폴더에만 쓸 수 있습니다",
    "grade.unconfined": "이 커널에는 Landlock(Linux 5.13+)이 없어서 제출물이 정답이나 다른 학생의 파일을 읽을 수 있습니다. 컨테이너 안에서 채점하거나, 그래도 채점하려면 --unconfined를 주세요.",
    "label.unconfined": "참고: 이 코드는 파일 시스템 제한 없이 실행되었습니다(격리: {isolation}). 사용자의 파일을 읽고 쓸 수 있었습니다",
    "diag.loss_summed": "손실이 배치 전체의 합으로, 규약이 요구하는 평균의 N = {n}배입니다. 기울기는 평균에 대해 맞습니다. 손실을 N으로 나누세요(기울기는 바꾸지 마세요)",
    "mistake.never_changed": "매개변수가 전혀 바뀌지 않았습니다. update는 받은 배열 자체를 바꿔야 합니다(params[key] -= ...). params에 새 딕셔너리를 대입하거나 새 배열을 계산만 하고 저장하지 않으면 호출한 쪽의 매개변수는 그대로입니다",
    "diag.swapped": "{a}와(과) {b}이(가) 서로 바뀌었습니다. 각각 상대의 올바른 값을 담고 있습니다(MulLayer라면 dx = dout * y, dy = dout * x)",
    "label.also_fails": "같은 실패가 다음에도 있습니다: {cases} (--verbose로 모두 볼 수 있습니다)",
    "derive.chain_rule": "연쇄 법칙: {formula}",
    "derive.base_variables": "기본 변수로 나타내면: {value}",
    "mode.full": "전체 원소", "mode.fast": "빠른 확인", "mode.auto": "자동", "mode.trajectory": "궤적", "mode.points": "점별",
    "label.same_numbers": "위와 같은 틀린 값",
    "grad.shape_wrong_axis": "{name}의 형상이 {got}(으)로 샘플마다(N = {n}) 값이 하나씩인데, 기대하는 형상은 {want}입니다. 엉뚱한 축으로 합했습니다. 배치 축으로 합하세요(np.sum(dout, axis=0))",
    "mistake.softmax_no_t": "dx가 소프트맥스 출력 y / N입니다. '- t'가 빠졌습니다(dx = (y - t) / N)",
    "mistake.bn_var_no_two": "분산 경로에 2배가 빠졌습니다. d var / d xc = 2 xc / N입니다",
    "mistake.bn_no_mean": "평균 경로가 빠졌습니다. dxc의 배치 평균을 빼야 합니다(dx = dxc - sum(dxc) / N)",
    "mistake.bn_dgamma_xc": "dgamma에 중심화한 입력 xc를 썼습니다. 정규화한 xn = xc / std를 써야 합니다(dgamma = sum(dout * xn))",
    "grad.shape_keepdims": "{name}의 형상이 {want}여야 하는데 {got}입니다. 값은 맞지만 길이 1인 축이 남아 있습니다(np.sum(..., keepdims=True)?). 그 축을 없애세요(np.sum(dout, axis=0)). 그대로 두면 첫 갱신에서 매개변수의 형상이 바뀝니다",
    "mistake.nesterov_prefix": "2021년 1월에 고쳐지기 전의 책 Nesterov입니다(속도를 매개변수 갱신에 쓰기 전에 먼저 갱신함). 이전 속도로 매개변수를 먼저 갱신한 뒤 속도를 갱신하세요",
})
